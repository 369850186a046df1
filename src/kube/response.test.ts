import { describe, expect, it } from 'vitest';
import { judgeAttempt, outcomeOfError, outcomeOfResponse, statusOf } from './response.js';

const res = (status: number, body: string, headers: Record<string, string> = {}) => ({
  status,
  body,
  headers,
});

describe('classifying API responses (shapes from a real v1.28 apiserver)', () => {
  it('uses the Status reason when the body is a Status', () => {
    const body =
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}\n';
    expect(outcomeOfResponse(res(404, body))).toEqual({ reason: 'NotFound', code: 404 });
    expect(statusOf(res(404, body)).message).toBe('configmaps "x" not found');
  });
  it('plain-text 429 from max-inflight: TooManyRequests, retryable after Retry-After', () => {
    const r = res(429, 'Too many requests, please try again later.\n', { 'retry-after': '1' });
    expect(outcomeOfResponse(r)).toEqual({ reason: 'TooManyRequests', code: 429 });
    expect(judgeAttempt(r, undefined)).toEqual({ retryable: true, retryAfterMs: 1000 });
  });
  it('504 with details.retryAfterSeconds is retryable after that', () => {
    const body =
      '{"kind":"Status","status":"Failure","message":"Timeout: Too large resource version","reason":"Timeout","details":{"retryAfterSeconds":1},"code":504}';
    expect(judgeAttempt(res(504, body), undefined)).toEqual({ retryable: true, retryAfterMs: 1000 });
  });
  it('4xx other than 429 are not retried; success is no error', () => {
    expect(judgeAttempt(res(409, '{}'), undefined).retryable).toBe(false);
    expect(outcomeOfResponse(res(201, '{}'))).toBeUndefined();
    expect(outcomeOfResponse(res(404, '404 page not found\n'))).toEqual({ reason: 'NotFound', code: 404 });
  });
  it('transport errors get a client class and code 0', () => {
    expect(outcomeOfError({ code: 'ECONNRESET' })).toEqual({ reason: 'ECONNRESET', code: 0 });
    expect(outcomeOfError({ code: 'UND_ERR_SOCKET' })).toEqual({ reason: 'ECONNRESET', code: 0 });
    expect(outcomeOfError({ code: 'UND_ERR_HEADERS_TIMEOUT' })).toEqual({ reason: 'Timeout', code: 0 });
    expect(outcomeOfError({ cause: { code: 'ECONNREFUSED' } })).toEqual({ reason: 'ECONNREFUSED', code: 0 });
    expect(judgeAttempt(undefined, { code: 'ECONNREFUSED' }).retryable).toBe(true);
  });
});

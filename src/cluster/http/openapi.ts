/**
 * OpenAPI endpoints. kubectl 1.28 `apply` needs /openapi/v2 to answer 200 (an empty protobuf body
 * is enough: it then skips client-side schema work). /openapi/v3 is not served yet, which makes
 * kubectl 1.33 fall back to /openapi/v2.
 */
import type { ResourceRegistry } from '../api/resources.js';

export function openApiV2(accept: string | undefined): { body: string; contentType: string } {
  const proto = !!accept && accept.includes('protobuf');
  return {
    body: '',
    contentType: proto ? 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' : 'application/json',
  };
}

export function openApiV3(
  _registry: ResourceRegistry,
  _path: string,
  _query: URLSearchParams,
): { body: string; contentType: string; headers?: Record<string, string>; redirect?: string } | undefined {
  return undefined;
}

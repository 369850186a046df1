/** What every report writer reads: the results plus their analysis (computed here if absent). */
import { buildAnalysis } from '../analysis/analyze.js';
import { readAnalysis, type Analysis } from '../analysis/types.js';
import type { Results } from '../results/types.js';

export interface ReportModel {
  results: Results;
  analysis: Analysis;
}

export function reportModel(results: Results): ReportModel {
  return { results, analysis: readAnalysis(results.analysis) ?? buildAnalysis(results) };
}

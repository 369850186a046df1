/**
 * A report section shows one phase type's own data (CEL costs, graph sizes, kro instances…) under the
 * phase's heading, in HTML and Markdown. Sections are listed once in index.ts; the writers only iterate.
 */
import type { Analysis } from '../../analysis/types.js';
import type { PhaseResult, Results } from '../../results/types.js';
import type { ChartSpec } from '../chart-spec.js';

export interface SectionContext {
  results: Results;
  analysis: Analysis;
  /** Index of the phase in results.phases (chart ids must be unique per page). */
  index: number;
}

export interface HtmlSection {
  html: string;
  charts?: ChartSpec[];
}

export interface PhaseSection {
  /** Short name, for tests and debugging. */
  readonly name: string;
  /** HTML under the phase heading; undefined when the phase has nothing for this section. */
  html?(phase: PhaseResult, ctx: SectionContext): HtmlSection | undefined;
  /** Markdown lines (a `##` heading and a table, say); undefined when there is nothing to show. */
  markdown?(phase: PhaseResult, ctx: SectionContext): string[] | undefined;
}

/**
 * Every phase report section, listed once, in the order they appear under a phase. A new phase type
 * or measurement with its own data adds one file here and one entry below.
 */
import { celSection } from './cel.js';
import { graphSection } from './graph.js';
import { kroSection } from './kro.js';
import type { PhaseSection } from './types.js';

export const phaseSections: readonly PhaseSection[] = [celSection, graphSection, kroSection];

export type { PhaseSection, SectionContext, HtmlSection } from './types.js';

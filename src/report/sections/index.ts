/**
 * Every phase report section, listed once, in the order they appear under a phase. A new phase type
 * or measurement with its own data adds one file here and one entry below.
 */
import { apiserverMetricsSection } from './apiserver-metrics.js';
import { celSection } from './cel.js';
import { containerUsageSection } from './container-usage.js';
import { controllerMetricsSection } from './controller-metrics.js';
import { gatewaySection } from './gateway.js';
import { graphSection } from './graph.js';
import { kroSection } from './kro.js';
import { miloSection } from './milo.js';
import { promQuerySection } from './prom-query.js';
import type { PhaseSection } from './types.js';

export const phaseSections: readonly PhaseSection[] = [
  celSection,
  graphSection,
  kroSection,
  gatewaySection,
  miloSection,
  apiserverMetricsSection,
  containerUsageSection,
  controllerMetricsSection,
  promQuerySection,
];

export type { PhaseSection, SectionContext, HtmlSection } from './types.js';

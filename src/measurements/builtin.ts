/**
 * Every built-in measurement, listed once. Add a new one here (one import, one register call).
 */
import { apiserverMetrics } from './apiserver-metrics.js';
import { containerUsage } from './container-usage.js';
import { controllerMetrics } from './controller-metrics.js';
import { promQuery } from './prom-query.js';
import { MeasurementRegistry } from './registry.js';

export function builtinMeasurements(): MeasurementRegistry {
  return new MeasurementRegistry()
    .register(apiserverMetrics)
    .register(promQuery)
    .register(containerUsage)
    .register(controllerMetrics);
}

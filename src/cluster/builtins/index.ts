/**
 * The built-in kinds' registry behaviour, installed on an API server: admission runs defaulting
 * (crd/admission.ts), then the Service allocator and the kind's validation (src/cluster/validation);
 * the `default/kubernetes` Service is created at start and follows the server's address.
 */
import type { ApiContext } from '../api/context.js';
import { validateBuiltin } from '../validation/index.js';
import { createKubernetesService, publishApiServerAddress } from './kubernetes-service.js';
import { defaultServiceCIDR, ServiceCidr } from './service-cidr.js';
import { registerCoreSubresources } from './subresources.js';
import { ServiceAllocator } from './services.js';

export interface BuiltinOptions {
  /** Service CIDR ClusterIPs are allocated from (default 10.96.0.0/16). */
  serviceCIDR?: string;
}

export interface Builtins {
  /** Creates what a fresh API server holds besides namespaces (the kubernetes Service). */
  bootstrap(): void;
  /** The server's listen address is known: publish it in the kubernetes Endpoints/EndpointSlice. */
  listening(hostPort: string): void;
  stop(): void;
}

export function installBuiltins(ctx: ApiContext, opts: BuiltinOptions = {}): Builtins {
  registerCoreSubresources();
  const cidr = new ServiceCidr(opts.serviceCIDR ?? defaultServiceCIDR);
  const services = new ServiceAllocator(ctx, cidr);
  const inner = ctx.hooks.admit;
  ctx.hooks.admit = (rt, obj, old, req) => {
    const warnings = inner?.(rt, obj, old, req);
    if (!rt.custom) {
      // Namespace PrepareForUpdate: spec.finalizers change only through namespaces/finalize.
      if (rt.storageKey === 'namespaces' && old && req.subresource !== 'finalize')
        obj.spec = {
          ...((obj.spec as object) ?? {}),
          finalizers: (old.spec as { finalizers?: unknown })?.finalizers,
        };
      if (rt.storageKey === 'services' && req.subresource !== 'status') services.prepare(obj, old);
      validateBuiltin(rt, obj, old, req.subresource);
    }
    return warnings;
  };
  return {
    bootstrap: () => createKubernetesService(ctx, cidr.ip(0)),
    listening(hostPort) {
      const i = hostPort.lastIndexOf(':');
      const host = hostPort.slice(0, i).replace(/^\[|\]$/g, '');
      const port = Number(hostPort.slice(i + 1));
      if (port > 0)
        publishApiServerAddress(ctx, host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port);
    },
    stop: () => services.stop(),
  };
}

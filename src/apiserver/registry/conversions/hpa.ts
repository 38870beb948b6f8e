/**
 * HorizontalPodAutoscaler: stored as autoscaling/v2; autoscaling/v1 serves the CPU-utilization subset
 * (`targetCPUUtilizationPercentage`, `currentCPUUtilizationPercentage`).
 */
import type { KubeObject } from '../../../api/types.js';
import { registerConverter } from '../conversion.js';

interface V2Metric { type: string; resource?: { name: string; target?: { type?: string; averageUtilization?: number }; current?: { averageUtilization?: number } } }

registerConverter('horizontalpodautoscalers', {
  out(obj) {
    const spec = (obj.spec ?? {}) as Record<string, unknown> & { metrics?: V2Metric[] };
    const status = (obj.status ?? {}) as Record<string, unknown> & { currentMetrics?: V2Metric[] };
    const cpu = spec.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
    const curCpu = status.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
    const { metrics: _m, behavior: _b, ...v1spec } = spec;
    const { currentMetrics: _c, conditions: _k, ...v1status } = status;
    const out: KubeObject = { ...obj, spec: { ...v1spec, ...(cpu !== undefined ? { targetCPUUtilizationPercentage: cpu } : {}) } };
    if (obj.status) out.status = { ...v1status, ...(curCpu !== undefined ? { currentCPUUtilizationPercentage: curCpu } : {}) };
    return out;
  },
  in(obj) {
    const spec = (obj.spec ?? {}) as Record<string, unknown> & { targetCPUUtilizationPercentage?: number };
    const { targetCPUUtilizationPercentage: cpu, ...rest } = spec;
    obj.spec = { ...rest, ...(cpu !== undefined ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }] } : {}) };
    const status = obj.status as (Record<string, unknown> & { currentCPUUtilizationPercentage?: number }) | undefined;
    if (status) {
      const { currentCPUUtilizationPercentage: cur, ...s } = status;
      obj.status = { ...s, ...(cur !== undefined ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cur } } }] } : {}) };
    }
    return obj;
  },
});

/**
 * A plugin registry: plugin name → factory (upstream's `runtime.Registry`). The in-tree plugins register
 * in plugins/registry.ts; out-of-tree plugins are merged in with `merge`.
 */
import type { PluginFactory } from './interface.js';

export class Registry {
  private readonly factories = new Map<string, PluginFactory>();

  constructor(entries: Record<string, PluginFactory> = {}) {
    for (const [name, f] of Object.entries(entries)) this.register(name, f);
  }

  register(name: string, factory: PluginFactory): void {
    if (this.factories.has(name)) throw new Error(`a plugin named ${name} already exists`);
    this.factories.set(name, factory);
  }

  get(name: string): PluginFactory | undefined {
    return this.factories.get(name);
  }

  names(): string[] {
    return [...this.factories.keys()];
  }

  /** A new registry with this one's plugins and `other`'s; a name in both is an error. */
  merge(other: Registry): Registry {
    const r = new Registry();
    for (const n of this.names()) r.register(n, this.factories.get(n)!);
    for (const n of other.names()) r.register(n, other.get(n)!);
    return r;
  }
}

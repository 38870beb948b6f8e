/**
 * The registry of controllers (upstream `NewControllerDescriptors`): each controller is a descriptor —
 * a name, whether it runs by default, and a factory — and the manager runs the enabled ones. Nothing
 * else knows the list: adding a controller is adding a descriptor in descriptors.ts.
 */
import type { ControllerContext, RunnableController } from './context.js';

export interface ControllerDescriptor {
  /** The name `--disable-controllers` takes, e.g. "deployment". */
  name: string;
  /** Upstream spellings that also select it, e.g. "deployment-controller". */
  aliases?: string[];
  enabledByDefault: boolean;
  build(ctx: ControllerContext): RunnableController;
}

export class ControllerRegistry {
  private readonly byName = new Map<string, ControllerDescriptor>();
  private readonly ordered: ControllerDescriptor[] = [];

  constructor(descriptors: ControllerDescriptor[] = []) {
    for (const d of descriptors) this.register(d);
  }

  register(d: ControllerDescriptor): void {
    for (const n of [d.name, ...(d.aliases ?? [])]) {
      if (this.byName.has(n)) throw new Error(`controller "${n}" registered twice`);
      this.byName.set(n, d);
    }
    this.ordered.push(d);
  }

  names(): string[] {
    return this.ordered.map((d) => d.name);
  }

  get(name: string): ControllerDescriptor | undefined {
    return this.byName.get(name);
  }

  /**
   * The descriptors to run: the default-on ones minus `disabled`, plus any default-off ones named in
   * `enabled`. An unknown name is an error (so a typo in a flag does not silently do nothing).
   */
  select(disabled: string[] = [], enabled: string[] = []): ControllerDescriptor[] {
    const resolve = (n: string) => {
      const d = this.byName.get(n);
      if (!d) throw new Error(`unknown controller "${n}"; known controllers: ${this.names().join(', ')}`);
      return d;
    };
    const off = new Set(disabled.map(resolve));
    const on = new Set(enabled.map(resolve));
    return this.ordered.filter((d) => !off.has(d) && (d.enabledByDefault || on.has(d)));
  }
}

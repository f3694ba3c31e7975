import { pathToFileURL } from 'node:url';
import { type CollectorClass, MetricsCollector } from './collector.js';
import { listCollectorModules } from './discovery.js';
import {
  collectorConstructorFailed,
  collectorModuleFailed,
  collectorNameMismatch,
  collectorNameTaken,
  invalidCollectorName,
  notACollector,
  type TelemetryError,
} from './errors.js';
import type { MetricDescription } from './types.js';

const NAME = /^[a-z][a-z0-9_]*$/;

export interface CollectorDescription {
  name: string;
  metrics: readonly MetricDescription[];
}

export interface CollectorRegistryOptions {
  /** Told once about each registration that failed. Default: `console.error`. */
  onRegistrationError?: (error: TelemetryError) => void;
}

/**
 * The collectors of a collection, by name. It holds classes, not instances: every `getAll()`
 * creates new collectors, so that nothing one run leaves behind leaks into the next.
 */
export class CollectorRegistry {
  private readonly classes = new Map<string, CollectorClass>();
  private readonly failures: TelemetryError[] = [];
  private readonly onRegistrationError: (error: TelemetryError) => void;

  constructor(options: CollectorRegistryOptions = {}) {
    this.onRegistrationError = options.onRegistrationError ?? logRegistrationError;
  }

  /**
   * Registers a collector class under `name` (by default the collectorName of an instance).
   * Registering the same class under the same name again does nothing. Throws a TelemetryError
   * when the class cannot be a collector; `@registerCollector` reports that instead of throwing.
   */
  register(target: CollectorClass, name?: string): void {
    if (!isCollectorClass(target)) throw notACollector(name, target);
    if (name !== undefined) {
      assertValidName(name, target);
      const holder = this.classes.get(name);
      if (holder === target) return;
      if (holder !== undefined) throw collectorNameTaken(name, holder, target);
    }
    const declared = declaredName(target, name);
    const registeredAs = name ?? declared;
    if (typeof registeredAs !== 'string') throw invalidCollectorName(registeredAs, target);
    assertValidName(registeredAs, target);
    if (declared !== registeredAs) throw collectorNameMismatch(registeredAs, declared, target);
    const holder = this.classes.get(registeredAs);
    if (holder === target) return;
    if (holder !== undefined) throw collectorNameTaken(registeredAs, holder, target);
    this.classes.set(registeredAs, target);
  }

  /** A new instance of every registered collector, in registration order. */
  getAll(): MetricsCollector[] {
    return [...this.classes.values()].map((target) => new target());
  }

  /** A new instance of the collector registered under `name`. */
  get(name: string): MetricsCollector | undefined {
    const target = this.classes.get(name);
    return target ? new target() : undefined;
  }

  names(): string[] {
    return [...this.classes.keys()];
  }

  has(name: string): boolean {
    return this.classes.has(name);
  }

  unregister(name: string): boolean {
    return this.classes.delete(name);
  }

  clear(): void {
    this.classes.clear();
  }

  /** What every collector declares it sends, sorted by collector name: the metrics dictionary. */
  describe(): CollectorDescription[] {
    return [...this.classes.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, target]) => ({ name, metrics: target.metrics ?? [] }));
  }

  /** The registrations and module loads that failed, each already reported once. */
  registrationErrors(): readonly TelemetryError[] {
    return [...this.failures];
  }

  /** Records a failed registration and reports it once. Never throws. */
  reportRegistrationError(error: TelemetryError): void {
    this.failures.push(error);
    try {
      this.onRegistrationError(error);
    } catch {
      // A broken reporter must not turn a logged failure into a crash of the importing module.
    }
  }

  /**
   * Imports every collector module of a folder (`.ts` in sources, `.js` in a build; never
   * declarations, tests or `index` files) and registers the collectors they export. A module
   * that fails to load is reported and skipped, so one broken collector never stops the others.
   * Returns the names of the collectors the folder declares.
   */
  async discover(directory: string | URL): Promise<string[]> {
    const found: string[] = [];
    for (const file of await listCollectorModules(directory)) {
      const before = new Set(this.classes.keys());
      let exports: Record<string, unknown>;
      try {
        exports = await import(pathToFileURL(file).href);
      } catch (error) {
        this.reportRegistrationError(collectorModuleFailed(file, error));
        continue;
      }
      // Decorated classes are in the default registry already; another registry adopts the
      // exported ones, which is how a test or a second host gets its own set from one folder.
      for (const value of Object.values(exports)) {
        const name = decoratedNames.get(value as CollectorClass);
        if (name === undefined) continue;
        try {
          this.register(value as CollectorClass, name);
          found.push(name);
        } catch (error) {
          this.reportRegistrationError(error as TelemetryError);
        }
      }
      for (const name of this.classes.keys()) if (!before.has(name) && !found.includes(name)) found.push(name);
    }
    return found;
  }
}

/** The one registry that `@registerCollector` fills and collection reads. */
export const collectorRegistry = new CollectorRegistry();

/** The name each decorated class was registered under, whichever registry adopts it later. */
const decoratedNames = new WeakMap<CollectorClass, string>();

/**
 * Registers the decorated class in the default registry under `name`, which must equal its
 * collectorName. A registration that fails is logged once and leaves the module importable.
 */
export function registerCollector(name: string) {
  return <T extends CollectorClass>(target: T, _context: ClassDecoratorContext<T>): void => {
    try {
      collectorRegistry.register(target, name);
      decoratedNames.set(target, name);
    } catch (error) {
      collectorRegistry.reportRegistrationError(error as TelemetryError);
    }
  };
}

/** The collectorName of a fresh instance; a constructor or getter that throws is reported as such. */
function declaredName(target: CollectorClass, name: string | undefined): unknown {
  try {
    return new target().collectorName;
  } catch (error) {
    throw collectorConstructorFailed(name ?? target.name, target, error);
  }
}

function isCollectorClass(target: unknown): target is CollectorClass {
  return typeof target === 'function' && target.prototype instanceof MetricsCollector;
}

function assertValidName(name: string, target: unknown): void {
  if (!NAME.test(name)) throw invalidCollectorName(name, target);
}

function logRegistrationError(error: TelemetryError): void {
  console.error(`[telemetry] ${error.code}: ${error.message}`);
}

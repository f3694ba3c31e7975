import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type CollectorClass,
  CollectorRegistry,
  collectorRegistry,
  isTelemetryError,
  MetricsCollector,
  registerCollector,
  type TelemetryError,
} from '../../src/collection/index.js';

class CountCollector extends MetricsCollector {
  static override readonly metrics = [{ key: 'count', description: 'How many times collect() ran on this instance.' }];
  readonly collectorName = 'count';
  private runs = 0;

  collect() {
    this.runs += 1;
    return [{ key: 'count', value: this.runs }];
  }
}

class OtherCountCollector extends MetricsCollector {
  readonly collectorName = 'count';
  collect() {
    return [];
  }
}

function expectCode(fn: () => void, code: TelemetryError['code'], fragment: string): void {
  try {
    fn();
  } catch (error) {
    expect(isTelemetryError(error, code)).toBe(true);
    expect((error as Error).message).toContain(fragment);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe('CollectorRegistry', () => {
  it('registers, lists, gets, unregisters and clears', () => {
    const registry = new CollectorRegistry();
    registry.register(CountCollector);
    expect(registry.names()).toEqual(['count']);
    expect(registry.has('count')).toBe(true);
    expect(registry.get('count')).toBeInstanceOf(CountCollector);
    expect(registry.get('missing')).toBeUndefined();
    expect(registry.unregister('count')).toBe(true);
    expect(registry.unregister('count')).toBe(false);
    registry.register(CountCollector, 'count');
    registry.clear();
    expect(registry.names()).toEqual([]);
  });

  it('gives fresh instances on every getAll, so no state leaks between runs', async () => {
    const registry = new CollectorRegistry();
    registry.register(CountCollector);
    const first = registry.getAll();
    const second = registry.getAll();
    expect(first[0]).not.toBe(second[0]);
    await first[0]?.collect({} as never);
    await first[0]?.collect({} as never);
    expect(await second[0]?.collect({} as never)).toEqual([{ key: 'count', value: 1 }]);
  });

  it('treats the same class registered twice as a no-op', () => {
    const registry = new CollectorRegistry();
    registry.register(CountCollector, 'count');
    registry.register(CountCollector, 'count');
    registry.register(CountCollector);
    expect(registry.names()).toEqual(['count']);
  });

  it('describes every collector and its metrics, by name', () => {
    const registry = new CollectorRegistry();
    class Zeta extends MetricsCollector {
      readonly collectorName = 'zeta';
      collect() {
        return [];
      }
    }
    registry.register(Zeta);
    registry.register(CountCollector);
    expect(registry.describe()).toEqual([
      { name: 'count', metrics: CountCollector.metrics },
      { name: 'zeta', metrics: [] },
    ]);
  });

  describe('refuses, with a coded error that says what to fix,', () => {
    it('a class that is not a collector', () => {
      const registry = new CollectorRegistry();
      class Plain {
        readonly collectorName = 'plain';
        collect() {
          return [];
        }
      }
      expectCode(
        () => registry.register(Plain as unknown as CollectorClass, 'plain'),
        'TELEMETRY_ERR_NOT_A_COLLECTOR',
        'Make the class extend MetricsCollector',
      );
      expectCode(
        () => registry.register({} as unknown as CollectorClass),
        'TELEMETRY_ERR_NOT_A_COLLECTOR',
        'register() was given a object value',
      );
    });

    it('a class whose constructor throws', () => {
      class Exploding extends MetricsCollector {
        readonly collectorName = 'exploding';
        constructor() {
          super();
          throw new Error('no config');
        }
        collect() {
          return [];
        }
      }
      expectCode(
        () => new CollectorRegistry().register(Exploding, 'exploding'),
        'TELEMETRY_ERR_COLLECTOR_CONSTRUCTOR',
        'threw in its constructor: no config',
      );
    });

    it('a name taken by a different class', () => {
      const registry = new CollectorRegistry();
      registry.register(CountCollector);
      expectCode(
        () => registry.register(OtherCountCollector, 'count'),
        'TELEMETRY_ERR_COLLECTOR_NAME_TAKEN',
        'already taken by class CountCollector',
      );
      expectCode(() => registry.register(OtherCountCollector), 'TELEMETRY_ERR_COLLECTOR_NAME_TAKEN', '"count"');
      expect(registry.get('count')).toBeInstanceOf(CountCollector);
    });

    it('a class that declares another name than the one it is registered under', () => {
      expectCode(
        () => new CollectorRegistry().register(CountCollector, 'counter'),
        'TELEMETRY_ERR_COLLECTOR_NAME_MISMATCH',
        "readonly collectorName = 'counter'",
      );
    });

    it('a name that is not lower-case snake case', () => {
      expectCode(
        () => new CollectorRegistry().register(CountCollector, 'Count Collector'),
        'TELEMETRY_ERR_COLLECTOR_NAME_INVALID',
        'lower case letters, digits and underscores',
      );
    });
  });
});

describe('@registerCollector', () => {
  afterEach(() => {
    for (const name of collectorRegistry.names()) if (name.startsWith('decorated_')) collectorRegistry.unregister(name);
    vi.restoreAllMocks();
  });

  it('registers the class in the default registry under the decorator name', () => {
    @registerCollector('decorated_ok')
    class DecoratedCollector extends MetricsCollector {
      readonly collectorName = 'decorated_ok';
      collect() {
        return [{ key: 'ok', value: true }];
      }
    }
    expect(collectorRegistry.get('decorated_ok')).toBeInstanceOf(DecoratedCollector);
  });

  it('logs a failed registration once and lets the module go on loading', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const declare = () => {
      @registerCollector('decorated_mismatch')
      class Mismatched extends MetricsCollector {
        readonly collectorName = 'something_else';
        collect() {
          return [];
        }
      }
      return Mismatched;
    };
    expect(declare).not.toThrow();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]?.[0])).toContain('TELEMETRY_ERR_COLLECTOR_NAME_MISMATCH');
    expect(collectorRegistry.has('decorated_mismatch')).toBe(false);
    expect(collectorRegistry.registrationErrors().at(-1)?.code).toBe('TELEMETRY_ERR_COLLECTOR_NAME_MISMATCH');
  });

  it('reports each kind of failure without throwing', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    @registerCollector('decorated_first')
    class First extends MetricsCollector {
      readonly collectorName = 'decorated_first';
      collect() {
        return [];
      }
    }
    // The same class again is a no-op, not an error.
    registerCollector('decorated_first')(First, {} as ClassDecoratorContext<typeof First>);
    expect(log).not.toHaveBeenCalled();

    @registerCollector('decorated_first')
    class Second extends MetricsCollector {
      readonly collectorName = 'decorated_first';
      collect() {
        return [];
      }
    }
    @registerCollector('decorated_throws')
    class Throws extends MetricsCollector {
      readonly collectorName = 'decorated_throws';
      constructor() {
        super();
        throw new Error('boom');
      }
      collect() {
        return [];
      }
    }
    // @ts-expect-error: the type system refuses a class that is not a collector, and so does the registry.
    @registerCollector('decorated_plain')
    class Plain {}

    expect([Second, Throws, Plain]).toHaveLength(3);
    expect(log.mock.calls.map((call) => String(call[0]).split(':')[0])).toEqual([
      '[telemetry] TELEMETRY_ERR_COLLECTOR_NAME_TAKEN',
      '[telemetry] TELEMETRY_ERR_COLLECTOR_CONSTRUCTOR',
      '[telemetry] TELEMETRY_ERR_NOT_A_COLLECTOR',
    ]);
    expect(collectorRegistry.get('decorated_first')).toBeInstanceOf(First);
  });
});

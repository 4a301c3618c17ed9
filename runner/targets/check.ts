/** Does a target exist? Paths are checked on disk; database targets are looked up beforehand (async) and cached. */
import * as fs from 'node:fs';
import type { ConcreteTarget } from '../taskSpec';

export interface TargetChecker {
  exists(t: ConcreteTarget): boolean;
  /** Fetches what `exists` needs for non-path targets (one connection per database). */
  prepare(targets: ConcreteTarget[]): Promise<void>;
}

export class LocalTargetChecker implements TargetChecker {
  protected readonly known = new Map<string, boolean>();

  exists(t: ConcreteTarget): boolean {
    if (t.abs !== undefined) return fs.existsSync(t.abs);
    return this.known.get(t.id) ?? false;
  }

  async prepare(_targets: ConcreteTarget[]): Promise<void> {}

  /** After a task writes a database target, its cached answer is stale. */
  forget(t: ConcreteTarget): void {
    this.known.delete(t.id);
  }
}

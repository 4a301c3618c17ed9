/** Does a target exist? Paths are checked on disk; database targets are looked up beforehand (async) and cached. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HdfsTargetCache } from '../hdfs/targets';
import type { ConcreteTarget } from '../taskSpec';
import { checkPostgresTargets, dbTargetKey } from './postgres';

export interface TargetChecker {
  exists(t: ConcreteTarget): boolean;
  /** Fetches what `exists` needs for non-path targets (one connection per database). */
  prepare(targets: ConcreteTarget[]): Promise<void>;
  /** The fingerprint `prepare` fetched for a target that is not on disk (HDFS). */
  signature?(t: ConcreteTarget): string | undefined;
  listFolders?(targets: ConcreteTarget[]): void;
  forgetFolders?(): void;
}

export class LocalTargetChecker implements TargetChecker {
  protected readonly known = new Map<string, boolean>();
  private listings: Map<string, Set<string>> | undefined;
  private readonly hdfs = new HdfsTargetCache();

  exists(t: ConcreteTarget): boolean {
    if (t.abs !== undefined) {
      const listing = this.listings?.get(path.dirname(t.abs));
      if (listing && !t.glob) return listing.has(path.basename(t.abs));
      return fs.existsSync(t.abs);
    }
    if (t.target.kind === 'hdfs') return this.hdfs.exists(t);
    return this.known.get(dbTargetKey(t)) ?? false;
  }

  signature(t: ConcreteTarget): string | undefined {
    return t.target.kind === 'hdfs' ? this.hdfs.signature(t) : undefined;
  }

  /**
   * For planning only: one directory listing replaces many stats where a folder holds
   * many outputs (a stat costs ~10 µs here; 10,000 outputs would take 0.1 s).
   */
  listFolders(targets: ConcreteTarget[]): void {
    const byDir = new Map<string, number>();
    for (const t of targets)
      if (t.abs !== undefined)
        byDir.set(path.dirname(t.abs), (byDir.get(path.dirname(t.abs)) ?? 0) + 1);
    this.listings = new Map();
    for (const [dir, n] of byDir) {
      if (n < 16) continue;
      try {
        this.listings.set(dir, new Set(fs.readdirSync(dir)));
      } catch {
        this.listings.set(dir, new Set());
      }
    }
  }

  /** Back to live checks (tasks are about to create outputs). */
  forgetFolders(): void {
    this.listings = undefined;
  }

  /** Asks the databases and NameNodes about their targets (throws TargetCheckError when one cannot be reached). */
  async prepare(targets: ConcreteTarget[]): Promise<void> {
    const hdfs = targets.filter((t) => t.target.kind === 'hdfs');
    if (hdfs.length > 0) await this.hdfs.refresh(hdfs);
    const db = targets.filter((t) => t.target.kind === 'postgres');
    if (db.length === 0) return;
    for (const [k, v] of await checkPostgresTargets(db)) this.known.set(k, v);
  }
}

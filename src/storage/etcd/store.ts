/**
 * The etcd store: the Store contract mapped onto etcd v3, as Kubernetes' own etcd3 storage does.
 *
 *   create  Txn(create_revision(key) == 0) put, else range (to report the live value)
 *   update  Txn(mod_revision(key) == expected) put, else range (Conflict with the current value, or NotFound)
 *   delete  Txn(mod_revision(key) == expected) delete, else range; or a plain DeleteRange
 *   list    Range [start, prefixEnd) at one revision, limit, count (for `remaining`)
 *   watch   one shared Watch stream, prev_kv on; a compacted start revision fails with 'Compacted'
 *
 * etcd's default request limit (1.5 MiB) is smaller than the store's largest value plus its key, so the
 * etcd that k8ts uses must run with `--max-request-bytes` of at least 2 MiB.
 */
import type { GetResult, KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent } from '../store.js';
import { StoreError } from '../store.js';
import { checkKey, checkPrefix, checkValue, prefixEnd } from '../keys.js';
import { decodeContinue, encodeContinue } from '../continue.js';
import { CompareResult, CompareTarget, EtcdClient, type EtcdClientOptions, type TxnResponse } from './client.js';
import { kvOf, WatchMux } from './watchers.js';

function current(res: TxnResponse): KeyValue | undefined {
  const kv = res.responses[0]?.response_range?.kvs[0];
  return kv ? kvOf(kv) : undefined;
}

/** Keys are printable ASCII (checked), so latin1 is their exact byte form. */
function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

function asBuffer(v: Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

const SLASH = bytes('/');

export class EtcdStore implements Store {
  private readonly watches: WatchMux;
  private closed = false;

  private constructor(private readonly client: EtcdClient) {
    this.watches = new WatchMux(client);
  }

  /**
   * Connects to etcd at `endpoint` (comma-separated http(s) URLs) and checks that it answers within
   * `connectTimeoutMs`; throws StoreError 'Unavailable' naming the endpoint otherwise.
   */
  static async open(endpoint: string, options: EtcdClientOptions & { connectTimeoutMs?: number } = {}): Promise<EtcdStore> {
    const client = new EtcdClient(endpoint, options);
    try {
      await client.status(options.connectTimeoutMs ?? 3000);
    } catch (err) {
      client.close();
      throw err;
    }
    return new EtcdStore(client);
  }

  get endpoint(): string {
    return this.client.endpoint;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Closed', `etcd ${this.client.endpoint}: store is closed`);
  }

  async get(key: string): Promise<GetResult> {
    checkKey(key);
    this.checkOpen();
    const res = await this.client.range({ key: bytes(key) });
    const kv = res.kvs[0];
    return { kv: kv ? kvOf(kv) : undefined, revision: res.header.revision };
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    this.checkOpen();
    const k = bytes(key);
    const res = await this.client.txn({
      compare: [{ result: CompareResult.EQUAL, target: CompareTarget.CREATE, key: k, create_revision: 0 }],
      success: [{ request_put: { key: k, value: asBuffer(value) } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw new StoreError('KeyExists', `key "${key}" already exists`, current(res));
    return res.header.revision;
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    this.checkOpen();
    const k = bytes(key);
    const res = await this.client.txn({
      compare: [{ result: CompareResult.EQUAL, target: CompareTarget.MOD, key: k, mod_revision: expectedModRevision }],
      success: [{ request_put: { key: k, value: asBuffer(value) } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.guardFailed(key, expectedModRevision, current(res));
    return res.header.revision;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    checkKey(key);
    this.checkOpen();
    if (expectedModRevision === undefined || expectedModRevision === 0) {
      const res = await this.client.deleteRange({ key: bytes(key), prev_kv: true });
      const prev = res.prev_kvs[0];
      if (res.deleted === 0 || !prev) throw new StoreError('NotFound', `key "${key}" not found`);
      return { revision: res.header.revision, prev: kvOf(prev) };
    }
    const k = bytes(key);
    const res = await this.client.txn({
      compare: [{ result: CompareResult.EQUAL, target: CompareTarget.MOD, key: k, mod_revision: expectedModRevision }],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.guardFailed(key, expectedModRevision, current(res));
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw new StoreError('NotFound', `key "${key}" not found`);
    return { revision: res.header.revision, prev: kvOf(prev) };
  }

  private guardFailed(key: string, expected: number, cur: KeyValue | undefined): StoreError {
    if (!cur) return new StoreError('NotFound', `key "${key}" not found`);
    return new StoreError('Conflict',
      `key "${key}" was modified: expected revision ${expected}, current ${cur.modRevision}`, cur);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    checkPrefix(prefix);
    this.checkOpen();
    const end = bytes(prefixEnd(prefix));
    let rev = options.revision && options.revision > 0 ? options.revision : 0;
    let start = prefix;
    if (options.continue) {
      const c = decodeContinue(options.continue, prefix);
      rev = c.revision;
      start = c.lastKey + '\x00';
    }
    if (options.countOnly) {
      const res = await this.client.range({ key: bytes(start), range_end: end, revision: rev, count_only: true });
      return { kvs: [], revision: rev || res.header.revision, remaining: res.count };
    }
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const res = await this.client.range({ key: bytes(start), range_end: end, revision: rev, limit });
    const revision = rev || res.header.revision;
    const kvs = new Array<KeyValue>(res.kvs.length);
    for (let i = 0; i < kvs.length; i++) kvs[i] = kvOf(res.kvs[i]!);
    if (!res.more || kvs.length === 0) return { kvs, revision, remaining: 0 };
    const lastKey = kvs[kvs.length - 1]!.key;
    return { kvs, revision, remaining: res.count - kvs.length, continue: encodeContinue({ revision, lastKey }) };
  }

  watch(prefix: string, fromRevision: number, onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreError) => void): Watch {
    checkPrefix(prefix);
    return this.watches.watch(bytes(prefix), bytes(prefixEnd(prefix)), fromRevision, onEvents, onError);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    const res = await this.client.range({ key: SLASH, count_only: true });
    return res.header.revision;
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    const target = Math.min(revision, await this.currentRevision());
    try {
      await this.client.compact(target);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Compacted') return; // already compacted that far
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watches.close();
    this.client.close();
  }
}

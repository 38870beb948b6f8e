import { runStoreConformance } from '../../storage/testing/conformance.js';
import { MemoryStore } from './memory-store.js';

runStoreConformance('memory (API server test fake)', async () => new MemoryStore());

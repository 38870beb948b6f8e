/** Loads every per-kind strategy (each registers itself). Services are built per server: see services.ts. */
import './namespaces.js';
import './pods.js';
import './deployments.js';
import './replicasets.js';
import './statefulsets.js';
import './daemonsets.js';
import './jobs.js';
import './config.js';
import './nodes.js';
import './events.js';
import '../conversions/hpa.js';
import '../conversions/events.js';
import './endpoints.js';

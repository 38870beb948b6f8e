/** Loads every printer (each registers itself). */
import './pods.js';
import './core.js';
import './workloads.js';
import './cluster.js';

/** Validation shared by every kind: names, labels, annotations, `metadata`, label selectors, field errors. */
export * from './field-error.js';
export * from './names.js';
export * from './object-meta.js';
export * from './label-selector.js';

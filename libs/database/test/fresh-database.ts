// The pipelines and workers tests still import the fixture from here; it lives in tools/testing now.
export { createFreshDatabase } from '../../../tools/testing';

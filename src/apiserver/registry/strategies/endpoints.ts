/** Endpoints: PUT may create them (as upstream allows), so controllers can write them without a first GET. */
import { registerStrategy } from '../strategy.js';

registerStrategy('endpoints', { allowCreateOnUpdate: true });

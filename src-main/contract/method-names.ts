// The method names, derived from the channels. The Electron preload imports this module; its
// bundle gets the list itself in its place (build/scripts/bundle-main.mjs), so the preload
// carries names only, never the schemas or the schema library.
import { apiSpecs, type ApiMethod } from './api';

export const apiMethodNames = Object.keys(apiSpecs) as readonly ApiMethod[];

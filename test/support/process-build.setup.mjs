import { setup } from './process-build.mjs';

export default setup;

import { teardown } from './process-build.mjs';

export default teardown;

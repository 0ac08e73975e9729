/** (#7) Harbor 2.x: full deploys to 1, 3 and 8 nodes, node 1 first; goal time(8)/time(1) ≤ 2.0 (see deploy-setup.ts). */
import { deployBenchmark } from './deploy-setup';

export default deployBenchmark('v2', 2.0);

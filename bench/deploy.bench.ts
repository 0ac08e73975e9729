/** (#6) Harbor 1.5: full deploys to 1, 3 and 8 nodes; goal time(8)/time(1) ≤ 1.6 (see deploy-setup.ts). */
import { deployBenchmark } from './deploy-setup';

export default deployBenchmark('v1', 1.6);

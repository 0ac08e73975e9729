/**
 * The Harbor 2.x HA adapter (no official multi-VM recipe exists, goharbor/harbor#7162): every step
 * the 1.x plan shares, plus what 2.x needs (facts §4, §6, §7, "Things the app must get right"):
 * the PostgreSQL database created beforehand and owned by the Harbor account; harbor.yml rendered
 * from the installer's own template; the shared secrets pre-seeded under `<data_volume>/secret`
 * before any install; node 1 installed first and healthy (it runs the migrations) before the
 * others; one CSRF_KEY on every core after every install.
 */
import type { Profile } from '../../../../shared/profile';
import type { HarborEnv } from '../env';
import { after, type Step } from '../../deploy/step';
import { V2_NEEDS } from '../common/preflight/runtime';
import { firewallSteps } from '../common/steps/firewall';
import { installerStep } from '../common/steps/installer';
import { keysVerifyStep } from '../common/steps/keys-verify';
import { runtimeStep } from '../common/steps/runtime';
import { unpackStep } from '../common/steps/unpack';
import { v2SecretFiles } from '../node';
import { verifyStep } from '../common/verify';
import { TEMPLATE } from './steps/context';
import { v2PreflightStep } from './steps/preflight';
import { databaseStep } from './steps/database';
import { configStep } from './steps/config';
import { secretsStep } from './steps/secrets';
import { installStep } from './steps/install';
import { csrfStep } from './steps/csrf';

export { mysqlRefusal, v2InstallArgs } from './steps/context';

// ───────────────────────────── the plan ─────────────────────────────

/** The 2.x plan of a profile, in order; each step after the ones whose result on the node it reads (Step.dependsOn). */
export function v2Steps(p: Profile): Step<HarborEnv>[] {
  return [
    v2PreflightStep(),
    runtimeStep(V2_NEEDS),
    installerStep(),
    after(unpackStep([TEMPLATE]), ['installer']),
    databaseStep(),
    after(configStep(), ['unpack']),
    after(secretsStep(), ['unpack']),
    after(installStep(), ['config', 'secrets']),
    after(csrfStep(), ['install']),
    after(keysVerifyStep(v2SecretFiles), ['install']),
    ...firewallSteps(p),
    after(verifyStep({ generation: 'v2' }), ['install', 'csrf', 'keys-verify', 'firewall']),
  ];
}

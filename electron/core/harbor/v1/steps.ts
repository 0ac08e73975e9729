/**
 * The Harbor 1.4/1.5 HA adapter: the seed runbook as steps, with its mistakes fixed (facts §1–3):
 * registry.sql imported as shipped (it creates `registry` itself) and never over a live database;
 * harbor.cfg and config_ha.yml edited from the installer's own copies; node 1 installs first and
 * its `ha/` key material goes to every other node before that node installs.
 */
import type { Profile } from '../../../../shared/profile';
import type { HarborEnv } from '../env';
import { after, type Step } from '../../deploy/step';
import { V1_NEEDS } from '../common/preflight/runtime';
import { firewallSteps } from '../common/steps/firewall';
import { installerStep } from '../common/steps/installer';
import { keysVerifyStep } from '../common/steps/keys-verify';
import { runtimeStep } from '../common/steps/runtime';
import { unpackStep } from '../common/steps/unpack';
import { verifyStep } from '../common/verify';
import { v1KeyFiles } from '../node';
import { V1_TEMPLATES } from './config';
import { configStep } from './steps/config';
import { V1_VERIFY } from './steps/context';
import { databaseStep, readRegistrySql } from './steps/database';
import { installStep } from './steps/install';
import { v1PreflightStep } from './steps/preflight';

/** The 1.x plan of a profile, in order; each step after the ones whose result on the node it reads (Step.dependsOn). */
export function v1Steps(p: Profile): Step<HarborEnv>[] {
  return [
    v1PreflightStep(),
    runtimeStep(V1_NEEDS),
    installerStep(),
    after(unpackStep(Object.values(V1_TEMPLATES)), ['installer']),
    // registry.sql is read from node 1's unpacked installer
    after(databaseStep(readRegistrySql), ['unpack']),
    after(configStep(), ['unpack']),
    after(installStep(), ['config']),
    after(keysVerifyStep(v1KeyFiles), ['install']),
    ...firewallSteps(p),
    after(verifyStep(V1_VERIFY), ['install', 'keys-verify', 'firewall']),
  ];
}

/** Where Harbor lives on a node: shared by the deployment steps and the health checks. */

/** The installer is unpacked here (the layout both generations' install.sh expect). */
export const HARBOR_DIR = '/opt/harbor';
/** Written after a successful install: what it was installed from (sha256 of the inputs); a change reinstalls. */
export const INSTALL_STAMP = `${HARBOR_DIR}/.harbor-ha-deployer-installed`;
/**
 * Written just before install.sh runs, and kept: this app started Harbor here even when the install stamp never came
 * (the connection or the app went away while install.sh ran), so the next preflight takes the node as ours.
 */
export const INSTALL_STARTED = `${HARBOR_DIR}/.harbor-ha-deployer-installing`;
/** 2.x: rendered by prepare on every install; CSRF_KEY lives here. */
export const CORE_ENV = `${HARBOR_DIR}/common/config/core/env`;

import { Col } from 'antd';
import { useI18n } from '../../../i18n';
import type { Draft, Path } from '../draft';
import { PathField, SecretPathField, SelectField } from '../fields';
import { half } from './layout';

type AuthKind = Draft['nodes'][number]['auth']['kind'];

/** How a node or a hop in front of it logs in (`login` is its path): the method, then what that method needs. */
export function AuthFields({ login, kind, onSelect }: { login: Path; kind: string | undefined; onSelect: (kind: AuthKind) => void }) {
  const { t } = useI18n();
  const p = (...rest: string[]) => [...login, 'auth', ...rest];
  return (
    <>
      <Col {...half}>
        <SelectField
          path={p('kind')}
          options={[
            { value: 'password', label: t('f.auth.password') },
            { value: 'key', label: t('f.auth.key') },
            { value: 'agent', label: t('f.auth.agent') },
          ]}
          onSelect={onSelect}
        />
      </Col>
      {kind === 'password' && (
        <Col {...half}>
          <SecretPathField path={p('password')} />
        </Col>
      )}
      {kind === 'key' && (
        <>
          <Col {...half}>
            <PathField path={p('keyPath')} purpose="sshKey" placeholder="~/.ssh/id_ed25519" />
          </Col>
          <Col {...half}>
            <SecretPathField path={p('passphrase')} />
          </Col>
        </>
      )}
    </>
  );
}

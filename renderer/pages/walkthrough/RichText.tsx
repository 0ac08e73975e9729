/** Text from the core with `backticked` spans (commands, file names) shown as code. */
import { Typography } from 'antd';
import { Fragment } from 'react';

export function RichText({ text }: { text: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <Typography.Text key={i} code>
            {p}
          </Typography.Text>
        ) : (
          <Fragment key={i}>{p}</Fragment>
        ),
      )}
    </>
  );
}

import { describe, expect, it } from 'vitest';
import { exactVersion, isBarePath, isVersionTag, parseModuleSource, redactSecrets, redactSource } from './source.js';

describe('parseModuleSource', () => {
  const cases: Array<[string, Partial<ReturnType<typeof parseModuleSource>>]> = [
    ['./modules/vpc', { kind: 'local' }],
    ['../shared', { kind: 'local' }],
    ['terraform-aws-modules/vpc/aws', { kind: 'registry', host: 'registry.terraform.io' }],
    ['app.terraform.io/acme/vpc/aws', { kind: 'registry', host: 'app.terraform.io' }],
    ['terraform-aws-modules/iam/aws//modules/iam-role', { kind: 'registry', package: 'terraform-aws-modules/iam/aws' }],
    [
      'github.com/acme/tf-modules//vpc?ref=v1.2.0',
      { kind: 'git', ref: 'v1.2.0', package: 'github.com/acme/tf-modules//vpc' },
    ],
    ['git@github.com:acme/modules.git', { kind: 'git' }],
    [
      'git::https://example.com/vpc.git?ref=main',
      { kind: 'git', ref: 'main', package: 'git::https://example.com/vpc.git' },
    ],
    ['git::ssh://git@example.com/vpc.git?ref=51d462976d84fdea54b47d80dcabbf680badcdb8', { kind: 'git' }],
    ['hg::http://example.com/vpc.hg?rev=v1.2.0', { kind: 'hg', ref: 'v1.2.0' }],
    ['https://example.com/vpc-module.zip', { kind: 'http' }],
    ['https://example.com/vpc-module.zip?checksum=sha256:abcd', { kind: 'http', checksum: 'sha256:abcd' }],
    ['s3::https://s3-eu-west-1.amazonaws.com/acme-modules/vpc.zip', { kind: 's3' }],
    [
      'acme-modules.s3.amazonaws.com/vpc.zip?version=3HL4kqtJlcpXroDTDmJ',
      { kind: 's3', objectVersion: '3HL4kqtJlcpXroDTDmJ' },
    ],
    ['gcs::https://www.googleapis.com/storage/v1/acme/vpc.zip', { kind: 'gcs' }],
    ['https://gitlab.example.com/acme/vpc.git?ref=v2.0.0', { kind: 'git', ref: 'v2.0.0' }],
  ];
  it.each(cases)('%s', (source, want) => {
    expect(parseModuleSource(source)).toMatchObject(want);
  });
});

describe('redaction', () => {
  it.each([
    ['git::https://alice:hunter2@github.com/acme/vpc.git?ref=v1', 'git::https://***@github.com/acme/vpc.git?ref=v1'],
    ['https://ghp_abcdef123456@github.com/acme/vpc.git', 'https://***@github.com/acme/vpc.git'],
    ['git::ssh://git@github.com/acme/vpc.git', 'git::ssh://git@github.com/acme/vpc.git'],
    ['git::ssh://deploy:pw@github.com/acme/vpc.git', 'git::ssh://***@github.com/acme/vpc.git'],
    [
      'git::https://example.com/vpc.git?ref=v1&sshkey=LS0tLS1CRUdJTg',
      'git::https://example.com/vpc.git?ref=v1&sshkey=***',
    ],
    [
      's3::https://s3.amazonaws.com/b/vpc.zip?aws_access_key_id=AKIA1&aws_access_key_secret=s3cr3t',
      's3::https://s3.amazonaws.com/b/vpc.zip?aws_access_key_id=***&aws_access_key_secret=***',
    ],
    ['https://example.com/m.zip?token=abc&archive=zip', 'https://example.com/m.zip?token=***&archive=zip'],
  ])('%s', (raw, redacted) => {
    expect(redactSource(raw)).toBe(redacted);
    expect(parseModuleSource(raw).display).toBe(redacted);
  });

  it('redacts URLs inside free text', () => {
    expect(redactSecrets('Failed to download "git::https://bob:pw@host/x.git?ref=v1": 403')).toBe(
      'Failed to download "git::https://***@host/x.git?ref=v1": 403',
    );
  });
});

describe('versions', () => {
  it('recognises exact versions and version tags', () => {
    expect(exactVersion('1.2.3')).toBe('1.2.3');
    expect(exactVersion('= 1.2.3')).toBe('1.2.3');
    expect(exactVersion('v2.0.0-rc.1')).toBe('2.0.0-rc.1');
    expect(exactVersion('~> 1.2')).toBeUndefined();
    expect(exactVersion('>= 1.2.3, < 2.0.0')).toBeUndefined();
    expect(isVersionTag('v1.2.0')).toBe(true);
    expect(isVersionTag('main')).toBe(false);
  });
});

describe('isBarePath', () => {
  it('is a relative path without ./, never a local, registry or remote source', () => {
    expect(isBarePath('modules/util/ebs_optimized/')).toBe(true);
    expect(isBarePath('modules/vpc')).toBe(true);
    for (const other of [
      './modules/vpc',
      '../shared',
      'terraform-aws-modules/vpc/aws',
      'github.com/acme/tf-modules//vpc?ref=v1.2.0',
      'git@github.com:acme/modules.git',
      'git::https://example.com/vpc.git',
      'https://example.com/vpc-module.zip',
      '/abs/modules/vpc',
      '',
    ])
      expect(isBarePath(other), other).toBe(false);
  });
});

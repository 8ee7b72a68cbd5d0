import { describe, expect, it } from 'vitest';
import { hclError } from './hcl.js';
import { blocksOf, findBlock, indexHcl } from './locate.js';

const TEXT = `# header
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

locals { a = "}" }

resource "aws_db_instance" "main" {
  identifier = "orders-\${var.env == "prod" ? "}" : "x"}"
  tags = {
    a = "b" # } not a brace
  }
  user_data = <<-EOT
    resource "fake" "inside_heredoc" {
    }
  EOT
  /* a { comment */
  lifecycle {
    prevent_destroy = true
  }
}

moved {
  from = aws_db_instance.old
  to   = aws_db_instance.main
}
moved {
  from = a.b
  to   = a.c
}
`;

describe('indexHcl', () => {
  it('finds blocks, labels and attribute lines through strings, templates, heredocs and comments', () => {
    const root = indexHcl(TEXT);
    expect(root.blocks.map((b) => `${b.type}:${b.labels.join('/')}:${b.line}`)).toEqual([
      'terraform::2',
      'locals::8',
      'resource:aws_db_instance/main:10',
      'moved::25',
      'moved::29',
    ]);
    const db = findBlock(root, 'resource', 'aws_db_instance', 'main')!;
    expect(Object.fromEntries(db.attrs)).toEqual({ identifier: 11, tags: 12, user_data: 15 });
    expect(findBlock(db, 'lifecycle')!.attrs.get('prevent_destroy')).toBe(21);
    expect(blocksOf(root, 'moved').map((b) => b.attrs.get('to'))).toEqual([27, 31]);
    expect(findBlock(findBlock(root, 'terraform'), 'required_providers')!.attrs.get('aws')).toBe(4);
  });

  it('never throws on text it cannot follow', () => {
    expect(() => indexHcl('resource "a" "b" {\n  x = "unterminated\n')).not.toThrow();
    expect(indexHcl('resource "a" "b" {').blocks[0]!.type).toBe('resource');
  });
});

describe('hclError', () => {
  it('takes the first diagnostic’s line, column and reason, redacting URLs', () => {
    expect(
      hclError('parse config: [main.tf:2,7-3,1: Invalid expression; Expected the start of an expression.]'),
    ).toEqual({
      line: 2,
      column: 7,
      reason: 'Invalid expression: Expected the start of an expression.',
    });
    expect(hclError('parse config: [m.tf:1,1-2: Bad "https://u:p@h/x"; detail]').reason).toBe(
      'Bad "https://***@h/x": detail',
    );
  });
});

describe('findBlock over many blocks', () => {
  it('finds each block by type and labels (or a prefix of them, first in file order), and nothing else', () => {
    const text = Array.from(
      { length: 300 },
      (_, i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "b${i}"\n}\ndata "aws_s3_bucket" "b${i}" {\n}\n`,
    ).join('');
    const root = indexHcl(text);
    for (const i of [0, 1, 150, 299]) {
      expect(findBlock(root, 'resource', 'aws_s3_bucket', `b${i}`)?.line).toBe(5 * i + 1);
      expect(findBlock(root, 'data', 'aws_s3_bucket', `b${i}`)?.line).toBe(5 * i + 4);
    }
    expect(findBlock(root, 'resource', 'aws_s3_bucket')?.line).toBe(1);
    expect(findBlock(root, 'resource')?.labels).toEqual(['aws_s3_bucket', 'b0']);
    expect(findBlock(root, 'resource', 'aws_s3_bucket', 'b300')).toBeUndefined();
    expect(findBlock(root, 'module', 'aws_s3_bucket', 'b1')).toBeUndefined();
    expect(findBlock(root, 'resource', 'aws_s3_bucket', 'b1', 'extra')).toBeUndefined();
    expect(findBlock(undefined, 'resource')).toBeUndefined();
  });
});

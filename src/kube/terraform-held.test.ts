import { describe, expect, it } from 'vitest';
import { inlineManifests } from './terraform-held.js';

describe('inlineManifests', () => {
  it('reads a yaml_body heredoc, dedented as Terraform dedents <<- (by the smallest indentation)', () => {
    const tf =
      'resource "kubectl_manifest" "a" {\n  yaml_body = <<-YAML\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n  YAML\n}\n';
    expect(inlineManifests(tf)).toEqual(['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n']);
  });
  it('keeps a plain << heredoc as written, and reads yamldecode(<<EOT) of a kubernetes_manifest', () => {
    const tf =
      'resource "kubectl_manifest" "a" {\n  yaml_body = <<EOF\napiVersion: v1\nkind: Secret\nEOF\n}\nresource "kubernetes_manifest" "b" {\n  manifest = yamldecode(<<-EOT\n    kind: Service\n  EOT\n  )\n}\n';
    expect(inlineManifests(tf)).toEqual(['apiVersion: v1\nkind: Secret\n', 'kind: Service\n']);
  });
  it('reads no other heredoc (a user_data script) and no yaml_body from a file', () => {
    const tf =
      'resource "aws_instance" "a" {\n  user_data = <<-EOT\n    kind: Deployment\n  EOT\n}\nresource "kubectl_manifest" "b" {\n  yaml_body = file("b.yaml")\n}\n';
    expect(inlineManifests(tf)).toEqual([]);
  });
});

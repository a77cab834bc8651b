"""serverless-guard for Pulumi programs: secure components for pulumi-aws
(`serverless_guard.pulumi.components`).

Inside this package, `import pulumi` means the Pulumi SDK: every import is absolute, and this
package is only ever reached as `serverless_guard.pulumi`.
"""

"""The playground's starting world and request: edit either and press Evaluate."""

EXAMPLE_WORLD = """# A world in the scenario format (world: section). Try removing EnableIAMPolicies,
# adding a Deny, or changing the grant's constraint.
settings:
  region: us-east-1
  grant_propagation_seconds: 300
accounts:
  "111122223333": Payments
  "444455556666": Analytics
principals:
  - arn: arn:aws:iam::444455556666:role/Analyst
    policies:
      - name: UsePaymentsKey
        document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: kms:Decrypt
              Resource: arn:aws:kms:us-east-1:111122223333:key/0f4c2a1e-5b6d-4e7f-8a9b-1c2d3e4f5a6b
keys:
  - arn: arn:aws:kms:us-east-1:111122223333:key/0f4c2a1e-5b6d-4e7f-8a9b-1c2d3e4f5a6b
    aliases: [alias/payments]
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: EnableIAMPolicies
          Effect: Allow
          Principal: {AWS: "arn:aws:iam::111122223333:root"}
          Action: kms:*
          Resource: "*"
        - Sid: AnalyticsMayDecrypt
          Effect: Allow
          Principal: {AWS: "arn:aws:iam::444455556666:root"}
          Action: kms:Decrypt
          Resource: "*"
          Condition:
            StringEquals: {"kms:EncryptionContext:purpose": "reporting"}
    grants:
      - id: g-batch
        grantee: arn:aws:iam::111122223333:role/Batch
        operations: [Decrypt, GenerateDataKey]
        constraints:
          EncryptionContextSubset: {purpose: settlement}
"""

EXAMPLE_REQUEST = """# One request, a list of requests, or steps: (run in order, sharing the world).
steps:
  - request:
      principal: arn:aws:sts::444455556666:assumed-role/Analyst/report-run
      action: kms:Decrypt
      key: arn:aws:kms:us-east-1:111122223333:key/0f4c2a1e-5b6d-4e7f-8a9b-1c2d3e4f5a6b
      encryption_context: {purpose: reporting}
  - request:
      principal: arn:aws:iam::111122223333:role/Batch
      action: kms:Decrypt
      key: alias/payments
      encryption_context: {purpose: reporting}
      at: 600
"""

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


_TRUST = """        - Sid: EnableIAMPolicies
          Effect: Allow
          Principal: {AWS: "arn:aws:iam::111111111111:root"}
          Action: kms:*
          Resource: "*"
"""

#: name -> (title, world, request): one world for each KMS feature the engine models.
EXAMPLES = {
    "cross-account": ("Cross-account use with a constrained grant", EXAMPLE_WORLD, EXAMPLE_REQUEST),
    "imported-material": ("Imported key material that expires", """# BYOK: material imported into an EXTERNAL key expires at 30 days; the key is then PendingImport.
keys:
  - arn: arn:aws:kms:us-east-1:111111111111:key/4fce7f71-1dec-44f1-96e7-7f9ed830c1f8
    origin: EXTERNAL
    material: {expires_at: "30d"}
    policy:
      Version: "2012-10-17"
      Statement:
""" + _TRUST, """steps:
  - request: {principal: "arn:aws:iam::111111111111:role/App", action: kms:Encrypt, key: "arn:aws:kms:us-east-1:111111111111:key/4fce7f71-1dec-44f1-96e7-7f9ed830c1f8", at: "29d"}
  - request: {principal: "arn:aws:iam::111111111111:role/App", action: kms:Encrypt, key: "arn:aws:kms:us-east-1:111111111111:key/4fce7f71-1dec-44f1-96e7-7f9ed830c1f8", at: "30d"}
  - request: {principal: "arn:aws:iam::111111111111:root", action: kms:ImportKeyMaterial, key: "arn:aws:kms:us-east-1:111111111111:key/4fce7f71-1dec-44f1-96e7-7f9ed830c1f8", params: {ExpirationModel: KEY_MATERIAL_DOES_NOT_EXPIRE}}
  - request: {principal: "arn:aws:iam::111111111111:role/App", action: kms:Encrypt, key: "arn:aws:kms:us-east-1:111111111111:key/4fce7f71-1dec-44f1-96e7-7f9ed830c1f8"}
"""),
    "rotation": ("Automatic rotation with a minimum period", """# A Deny keeps anyone from setting a rotation period shorter than 180 days.
keys:
  - arn: arn:aws:kms:us-east-1:111111111111:key/2d52cbca-f7d1-44af-a7d9-0975f5a486e9
    rotation: {enabled: true, period_days: 365}
    policy:
      Version: "2012-10-17"
      Statement:
""" + _TRUST + """        - Sid: NoShortPeriods
          Effect: Deny
          Principal: "*"
          Action: kms:EnableKeyRotation
          Resource: "*"
          Condition: {NumericLessThan: {kms:RotationPeriodInDays: "180"}}
""", """- {principal: "arn:aws:iam::111111111111:root", action: kms:EnableKeyRotation, key: "arn:aws:kms:us-east-1:111111111111:key/2d52cbca-f7d1-44af-a7d9-0975f5a486e9", params: {RotationPeriodInDays: 90}}
- {principal: "arn:aws:iam::111111111111:root", action: kms:EnableKeyRotation, key: "arn:aws:kms:us-east-1:111111111111:key/2d52cbca-f7d1-44af-a7d9-0975f5a486e9"}
"""),
    "multi-region": ("A multi-Region replica with its own key policy", """# The replica has its own key policy: what the primary allows does not carry over.
principals:
  - arn: arn:aws:iam::111111111111:role/App
keys:
  - arn: arn:aws:kms:us-east-1:111111111111:key/mrk-2423fa052452538d455deec70716cb00
    multi_region: {type: PRIMARY}
    policy:
      Version: "2012-10-17"
      Statement:
""" + _TRUST + """        - {Sid: AppDecrypts, Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:role/App"}, Action: kms:Decrypt, Resource: "*"}
  - arn: arn:aws:kms:eu-west-1:111111111111:key/mrk-2423fa052452538d455deec70716cb00
    multi_region: {type: REPLICA, primary: "arn:aws:kms:us-east-1:111111111111:key/mrk-2423fa052452538d455deec70716cb00"}
    policy:
      Version: "2012-10-17"
      Statement:
""" + _TRUST, """- {principal: "arn:aws:iam::111111111111:role/App", action: kms:Decrypt, key: "arn:aws:kms:us-east-1:111111111111:key/mrk-2423fa052452538d455deec70716cb00"}
- {principal: "arn:aws:iam::111111111111:role/App", action: kms:Decrypt, key: "arn:aws:kms:eu-west-1:111111111111:key/mrk-2423fa052452538d455deec70716cb00"}
"""),
    "custom-key-store": ("A key in a disconnected CloudHSM key store", """# While its store is disconnected the key is Unavailable: use fails after authorization, management works.
principals:
  - arn: arn:aws:iam::111111111111:role/StoreAdmin
    policies:
      - name: Connect
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "kms:ConnectCustomKeyStore", Resource: "*"}]}
keys:
  - arn: arn:aws:kms:us-east-1:111111111111:key/6b44f05a-56cb-4c6a-b315-54a9348b5be4
    custom_key_store: {id: cks-7733e7f8e43fb9af0, type: AWS_CLOUDHSM, connected: false}
    policy:
      Version: "2012-10-17"
      Statement:
""" + _TRUST, """steps:
  - request: {principal: "arn:aws:iam::111111111111:root", action: kms:Encrypt, key: "arn:aws:kms:us-east-1:111111111111:key/6b44f05a-56cb-4c6a-b315-54a9348b5be4"}
  - request: {principal: "arn:aws:iam::111111111111:role/StoreAdmin", action: kms:ConnectCustomKeyStore, params: {CustomKeyStoreId: cks-7733e7f8e43fb9af0}}
  - request: {principal: "arn:aws:iam::111111111111:root", action: kms:Encrypt, key: "arn:aws:kms:us-east-1:111111111111:key/6b44f05a-56cb-4c6a-b315-54a9348b5be4"}
"""),
    "algorithms": ("A signing key limited to RSASSA-PSS", """# kms:SigningAlgorithm limits which algorithms the signer may use.
keys:
  - arn: arn:aws:kms:us-east-1:111111111111:key/400de5e0-9175-4542-982d-801842f6d0d5
    spec: RSA_2048
    usage: SIGN_VERIFY
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: SignerUsesPss
          Effect: Allow
          Principal: {AWS: "arn:aws:iam::111111111111:role/Signer"}
          Action: kms:Sign
          Resource: "*"
          Condition: {StringLike: {kms:SigningAlgorithm: "RSASSA_PSS_*"}}
""", """- {principal: "arn:aws:iam::111111111111:role/Signer", action: kms:Sign, key: "arn:aws:kms:us-east-1:111111111111:key/400de5e0-9175-4542-982d-801842f6d0d5", params: {SigningAlgorithm: RSASSA_PSS_SHA_256}}
- {principal: "arn:aws:iam::111111111111:role/Signer", action: kms:Sign, key: "arn:aws:kms:us-east-1:111111111111:key/400de5e0-9175-4542-982d-801842f6d0d5", params: {SigningAlgorithm: RSASSA_PKCS1_V1_5_SHA_256}}
"""),
    "org-wide": ("A key shared with the whole organization", """# Principal "*" with aws:PrincipalOrgID: member accounts still need their own IAM policy.
organization:
  id: o-a1b2c3d4e5
  accounts: {"111111111111": root, "222222222222": root}
principals:
  - arn: arn:aws:iam::222222222222:role/Reader
    policies:
      - name: Use
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: kms:Decrypt, Resource: "*"}]}
keys:
  - arn: arn:aws:kms:us-east-1:111111111111:key/89347114-b489-4b83-9ae2-77d95ee9c1ed
    policy:
      Version: "2012-10-17"
      Statement:
""" + _TRUST + """        - Sid: Organization
          Effect: Allow
          Principal: "*"
          Action: kms:Decrypt
          Resource: "*"
          Condition: {StringEquals: {aws:PrincipalOrgID: o-a1b2c3d4e5}}
""", """- {principal: "arn:aws:iam::222222222222:role/Reader", action: kms:Decrypt, key: "arn:aws:kms:us-east-1:111111111111:key/89347114-b489-4b83-9ae2-77d95ee9c1ed"}
- {principal: "arn:aws:iam::333333333333:role/Outsider", action: kms:Decrypt, key: "arn:aws:kms:us-east-1:111111111111:key/89347114-b489-4b83-9ae2-77d95ee9c1ed"}
"""),
}

"""SecureDefaults: the KMS keys that the secure constructs in a scope share."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_kms as kms
from constructs import Construct, IConstruct

from serverless_guard.cdk.constructs.key import SecureKey, check_rotation

ID = "SecureDefaults"
"""The id of a scope's defaults, a child of the scope."""

ENCRYPTION_KEY = "encryption_key"
QUEUE_ENCRYPTION_KEY = "queue_encryption_key"
WEB_ACL = "web_acl_arn"

# The keys a stack's defaults create when none is set: `<Stack>/SecureDefaults/<id>`.
_CREATED = {
    ENCRYPTION_KEY: ("Key", "Encrypts the data of the secure constructs of this stack"),
    QUEUE_ENCRYPTION_KEY: (
        "QueueKey",
        "Encrypts the queues of the secure constructs of this stack",
    ),
}


class SecureDefaults(Construct):
    """What the secure constructs in a scope use unless told otherwise: two KMS keys and a web
    ACL.

    ```python
    defaults = SecureDefaults.of(stack)
    defaults.encryption_key = key  # a kms.Key, a SecureKey, or an imported key
    defaults.queue_encryption_key = queue_key
    defaults.web_acl_arn = acl.attr_arn  # a wafv2.CfnWebACL of scope REGIONAL, or an ARN
    ```

    Every secure construct created afterwards under `stack` (the nearest scope that sets one
    wins) encrypts with `encryption_key`, and every queue (`SecureQueue`, the dead-letter
    queues) with `queue_encryption_key`, unless given a key with the L2's own argument
    (`encryption_key=`, `encryption_master_key=`, `master_key=`, `kms_key=`,
    `environment_encryption=`). When no scope sets them, the first secure construct of a
    stack that needs one creates it (`<Stack>/SecureDefaults/Key`, `.../QueueKey`): two
    SecureKeys per stack at most, whatever the number of constructs.

    Queues have a key of their own because AWS services that send to an encrypted queue (S3
    notifications, SNS subscriptions) get statements in its key policy that name their source:
    with one key for the bucket and its queue, the key would depend on the bucket it encrypts,
    a circular dependency that CloudFormation refuses. A key that does not rotate, or an
    imported one (whose rotation cannot be known), warns. The secure GraphQL APIs are
    associated with `web_acl_arn`, else with the web ACL the first of them creates
    (`<Stack>/SecureDefaults/WebAcl`).
    """

    @staticmethod
    def of(scope: IConstruct) -> SecureDefaults:
        """The defaults of `scope`, created on first use."""
        found = scope.node.try_find_child(ID)
        if isinstance(found, SecureDefaults):
            return found
        if not isinstance(scope, Construct):
            raise TypeError(f"{scope.node.path}: SecureDefaults need a construct as scope")
        return SecureDefaults(scope, ID)

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self._keys: dict[str, kms.IKey] = {}
        self._used: set[str] = set()
        self._web_acl_arn: str | None = None

    @property
    def web_acl_arn(self) -> str | None:
        """The ARN of the AWS WAF web ACL (scope REGIONAL) that the secure APIs under this
        scope are associated with (None: not set here; see `web_acl.default_web_acl_arn`)."""
        return self._web_acl_arn

    @web_acl_arn.setter
    def web_acl_arn(self, arn: str) -> None:
        if WEB_ACL in self._used and arn != self._web_acl_arn:
            raise ValueError(
                f"{self.node.path}: web_acl_arn is already used by secure constructs: "
                "set it before creating them"
            )
        self._web_acl_arn = arn

    def _use_web_acl(self) -> str | None:
        if self._web_acl_arn is not None:
            self._used.add(WEB_ACL)
        return self._web_acl_arn

    def _created_web_acl(self, arn: str) -> str:
        self._web_acl_arn = arn
        self._used.add(WEB_ACL)
        return arn

    @property
    def encryption_key(self) -> kms.IKey | None:
        """The key of the secure constructs under this scope (None: not set here)."""
        return self._keys.get(ENCRYPTION_KEY)

    @encryption_key.setter
    def encryption_key(self, key: kms.IKey) -> None:
        self._set(ENCRYPTION_KEY, key)

    @property
    def queue_encryption_key(self) -> kms.IKey | None:
        """The key of the secure queues under this scope (None: not set here)."""
        return self._keys.get(QUEUE_ENCRYPTION_KEY)

    @queue_encryption_key.setter
    def queue_encryption_key(self, key: kms.IKey) -> None:
        self._set(QUEUE_ENCRYPTION_KEY, key)

    def _set(self, name: str, key: kms.IKey) -> None:
        if name in self._used and key is not self._keys.get(name):
            raise ValueError(
                f"{self.node.path}: {name} is already used by secure constructs: "
                "set it before creating them"
            )
        self._keys[name] = key
        check_rotation(self, key)

    def _use(self, name: str) -> kms.IKey | None:
        key = self._keys.get(name)
        if key is not None:
            self._used.add(name)
        return key

    def _create(self, name: str) -> kms.IKey:
        id, description = _CREATED[name]
        key = self._keys[name] = SecureKey(self, id, description=description)
        self._used.add(name)
        return key


def _default(scope: IConstruct, name: str) -> kms.IKey:
    for ancestor in reversed(scope.node.scopes):
        found = ancestor.node.try_find_child(ID)
        if isinstance(found, SecureDefaults) and (key := found._use(name)) is not None:
            return key
    return SecureDefaults.of(Stack.of(scope))._create(name)


def default_key(scope: IConstruct) -> kms.IKey:
    """The key a secure construct created in `scope` encrypts with when given none: the nearest
    SecureDefaults `encryption_key`, else its stack's own (created on first use)."""
    return _default(scope, ENCRYPTION_KEY)


def default_queue_key(scope: IConstruct) -> kms.IKey:
    """The key a queue created in `scope` encrypts with when given none: the nearest
    SecureDefaults `queue_encryption_key`, else its stack's own (created on first use)."""
    return _default(scope, QUEUE_ENCRYPTION_KEY)

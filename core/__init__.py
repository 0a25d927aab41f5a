"""Below every app: functions with no models and no app imports, which any app may call.

`crypto` (MEM-4: ID numbers and files encrypted at rest, the keyed hash that finds them) and
`identity` (ID numbers and credit codes: parse, check, mask) are here so that `uploads` can encrypt
and mask what it stores without importing `membership`, which itself builds on `uploads`;
`audit_context` (who and which upload a change came from) so that the upload pipeline can label
its writes for the audit trail, whose app tracks models built on uploads."""

# Operational state: the tables shared/state's StateTables creates (names <prefix><concern>, on-demand billing,
# every GSI projecting ALL). Keep in step with dev.sluice.state.StateTables and its item classes: the
# integration test InfraStateTablesTest compares this block with the tables StateTables creates.
# BEGIN state tables
locals {
  state_tables = {
    datasets = {
      hash_key   = "pk"
      range_key  = null
      attributes = { aliasAccount = "S", aliasName = "S", pk = "S" }
      gsis       = { "by-alias" = { hash_key = "aliasAccount", range_key = "aliasName" } }
    }
    blocks = {
      hash_key   = "datasetId"
      range_key  = "seq"
      attributes = { datasetId = "S", seq = "N" }
      gsis       = {}
    }
    flows = {
      hash_key   = "datasetId"
      range_key  = "flowType"
      attributes = { datasetId = "S", dueAt = "N", dueShard = "N", flowType = "S" }
      gsis       = { "due" = { hash_key = "dueShard", range_key = "dueAt" } }
    }
    tasks = {
      hash_key   = "taskId"
      range_key  = null
      attributes = { createdAt = "N", createdDay = "S", datasetId = "S", leaseShard = "N", leaseUntil = "N", queueKey = "S", queueShard = "N", taskId = "S" }
      gsis       = { "by-dataset" = { hash_key = "datasetId", range_key = "createdAt" }, "leases" = { hash_key = "leaseShard", range_key = "leaseUntil" }, "queue" = { hash_key = "queueShard", range_key = "queueKey" }, "recent" = { hash_key = "createdDay", range_key = "createdAt" } }
    }
    accounts = {
      hash_key   = "nameKey"
      range_key  = null
      attributes = { accountId = "S", nameKey = "S" }
      gsis       = { "by-id" = { hash_key = "accountId", range_key = null } }
    }
    tokens = {
      hash_key   = "tokenHash"
      range_key  = null
      attributes = { account = "S", createdAt = "N", tokenHash = "S" }
      gsis       = { "by-account" = { hash_key = "account", range_key = "createdAt" } }
    }
    idempotency = {
      hash_key   = "id"
      range_key  = null
      attributes = { expiresAt = "N", id = "S", sweepGroup = "S" }
      gsis       = { "expiry" = { hash_key = "sweepGroup", range_key = "expiresAt" } }
    }
  }
}
# END state tables

resource "aws_dynamodb_table" "state" {
  for_each     = local.state_tables
  name         = "${var.name_prefix}${each.key}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = each.value.hash_key
  range_key    = each.value.range_key

  dynamic "attribute" {
    for_each = each.value.attributes
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.gsis
    content {
      name            = global_secondary_index.key
      hash_key        = global_secondary_index.value.hash_key
      range_key       = global_secondary_index.value.range_key
      projection_type = "ALL"
    }
  }

  # Idempotency records expire (IdempotencyItem.TTL_ATTRIBUTE); readers check expiresAt too, TTL deletion is lazy.
  dynamic "ttl" {
    for_each = each.key == "idempotency" ? [1] : []
    content {
      attribute_name = "expiresAt"
      enabled        = true
    }
  }
}

# Sluice as AWS Lambda functions: each function module built with `mvn -Plambda package` gives
# target/function.zip (Quarkus Funqy, handler FunqyStreamHandler); one Lambda per exported Funqy function,
# selected with QUARKUS_FUNQY_EXPORT. Datasets live in S3, operational state in DynamoDB (dynamodb.tf).

locals {
  # Lambda function => the module whose zip it runs and the Funqy function it exports.
  functions = {
    "ingest"         = { module = "ingest", export = "ingest" }
    "run-query"      = { module = "query", export = "run-query" }
    "list-datasets"  = { module = "api", export = "list-datasets" }
    "create-dataset" = { module = "api", export = "create-dataset" }
    "tail"           = { module = "api", export = "tail" }
    "metadata"       = { module = "api", export = "metadata" }
    "schedule-tick"  = { module = "schedule-tick", export = "schedule-tick" }
    # task functions: invoked asynchronously by the scheduler (sluice.flows.dispatch=lambda), one task per invoke
    "run-task-ingest"    = { module = "ingest", export = "run-task" }
    "run-task-transform" = { module = "transform", export = "run-task" }
  }
  task_functions = ["run-task-ingest", "run-task-transform"]
  # Modules that dispatch tasks: the tick, and the API's manual trigger.
  dispatching_modules = ["schedule-tick", "api"]
  # Modules that only read datasets and state; the others also write (commits, index, flows, idempotency).
  read_only_modules = ["query"]
  modules           = toset([for f in local.functions : f.module])
  datasets_prefix   = "datasets/"
}

resource "aws_s3_bucket" "data" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Function code: the zips exceed Lambda's direct-upload limit, so they go through S3.
resource "aws_s3_object" "code" {
  for_each    = local.modules
  bucket      = aws_s3_bucket.data.id
  key         = "artifacts/${each.key}/function.zip"
  source      = "${var.functions_dir}/${each.key}/target/function.zip"
  source_hash = filemd5("${var.functions_dir}/${each.key}/target/function.zip")
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# One role per module, with only what its functions do.
resource "aws_iam_role" "module" {
  for_each           = local.modules
  name               = "${var.name_prefix}${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "module" {
  for_each = local.modules

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${var.region}:*:log-group:/aws/lambda/${var.name_prefix}*"]
  }

  statement {
    sid       = "ListDatasets"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.datasets_prefix}*"]
    }
  }

  statement {
    sid = "DatasetObjects"
    # Conditional PUTs (If-None-Match / If-Match) need only PutObject; nothing deletes objects.
    actions   = contains(local.read_only_modules, each.key) ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.data.arn}/${local.datasets_prefix}*"]
  }

  statement {
    sid = "StateTables"
    # Terraform creates the tables, so no CreateTable; the functions take them as given (sluice.state-tables defaults
    # to existing for aws). Describe* is what sluice.state-tables=create would check them with.
    actions = contains(local.read_only_modules, each.key) ? [
      "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
      ] : [
      "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
      "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
    ]
    resources = flatten([for t in aws_dynamodb_table.state : [t.arn, "${t.arn}/index/*"]])
  }

  # Dispatch: invoke the task functions (ARNs from their names: the functions' own role policies come first).
  dynamic "statement" {
    for_each = contains(local.dispatching_modules, each.key) ? [1] : []
    content {
      sid       = "DispatchTasks"
      actions   = ["lambda:InvokeFunction"]
      resources = [for f in local.task_functions : "arn:aws:lambda:${var.region}:*:function:${var.name_prefix}${f}"]
    }
  }
}

resource "aws_iam_role_policy" "module" {
  for_each = local.modules
  name     = "${var.name_prefix}${each.key}"
  role     = aws_iam_role.module[each.key].id
  policy   = data.aws_iam_policy_document.module[each.key].json
}

resource "aws_lambda_function" "fn" {
  for_each         = local.functions
  function_name    = "${var.name_prefix}${each.key}"
  role             = aws_iam_role.module[each.value.module].arn
  runtime          = "java21"
  handler          = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest"
  s3_bucket        = aws_s3_bucket.data.id
  s3_key           = aws_s3_object.code[each.value.module].key
  source_code_hash = filebase64sha256("${var.functions_dir}/${each.value.module}/target/function.zip")
  memory_size      = var.memory_mb
  timeout          = contains(local.task_functions, each.key) ? var.task_timeout_s : var.timeout_s

  environment {
    variables = {
      QUARKUS_FUNQY_EXPORT = each.value.export
      SLUICE_STORAGE       = "s3://${aws_s3_bucket.data.id}/${trimsuffix(local.datasets_prefix, "/")}"
      SLUICE_STATE         = "aws"
      SLUICE_TABLE_PREFIX  = var.name_prefix
      SLUICE_DATA          = "/tmp/sluice" # scratch only: the one writable folder of a Lambda
      SLUICE_INDEX_UPDATES = "inline"      # Lambda freezes the process after answering: no write-behind
      # tasks go to the task functions (run-task-ingest: INGEST; run-task-transform: TRANSFORM, RESET, COMPACTION)
      SLUICE_FLOWS_DISPATCH                  = "lambda"
      SLUICE_FLOWS_LAMBDA_INGEST_FUNCTION    = "${var.name_prefix}run-task-ingest"
      SLUICE_FLOWS_LAMBDA_TRANSFORM_FUNCTION = "${var.name_prefix}run-task-transform"
      SLUICE_FLOWS_MAX_CONCURRENT            = tostring(var.max_concurrent_tasks)
      SLUICE_FLOWS_LEASE                     = "${var.task_timeout_s + 60}S" # longer than the function may run: the lease outlasts it
    }
  }

  depends_on = [aws_iam_role_policy.module]
}

# schedule-tick every minute: it finds due flows (the flows table's due index) and starts their tasks.
resource "aws_cloudwatch_event_rule" "schedule_tick" {
  name                = "${var.name_prefix}schedule-tick"
  schedule_expression = "rate(1 minute)"
}

resource "aws_cloudwatch_event_target" "schedule_tick" {
  rule = aws_cloudwatch_event_rule.schedule_tick.name
  arn  = aws_lambda_function.fn["schedule-tick"].arn
}

resource "aws_lambda_permission" "schedule_tick" {
  statement_id  = "AllowEventBridgeScheduleTick"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["schedule-tick"].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule_tick.arn
}

# Asynchronous invokes of the task functions: Lambda retries a failed one twice; an event older than the dispatch lease
# (sluice.flows.dispatch-lease, 5 minutes) is dropped — its task has been re-queued by a tick meanwhile.
resource "aws_lambda_function_event_invoke_config" "task" {
  for_each                     = toset(local.task_functions)
  function_name                = aws_lambda_function.fn[each.key].function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 300
}

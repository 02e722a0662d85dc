output "functions" {
  description = "Lambda function names, by Funqy function."
  value       = { for k, f in aws_lambda_function.fn : k => f.function_name }
}

output "storage" {
  description = "The datasets' location (sluice.storage)."
  value       = "s3://${aws_s3_bucket.data.id}/datasets"
}

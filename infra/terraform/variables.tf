variable "region" {
  description = "AWS region of every resource."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Prefix of every resource name; also the state table prefix (sluice.table-prefix)."
  type        = string
  default     = "sluice-"
}

variable "bucket_name" {
  description = "S3 bucket for datasets (under datasets/) and the function code (under artifacts/)."
  type        = string
}

variable "functions_dir" {
  description = "The checkout's functions/ folder, after mvn -Plambda package (each module writes target/function.zip)."
  type        = string
  default     = "../../functions"
}

variable "memory_mb" {
  description = "Memory of each Lambda function (CPU scales with it)."
  type        = number
  default     = 1024
}

variable "timeout_s" {
  description = "Timeout of each Lambda function."
  type        = number
  default     = 60
}

variable "task_timeout_s" {
  description = "Timeout of the task functions (run-task-ingest, run-task-transform); at most 900."
  type        = number
  default     = 900
}

variable "max_concurrent_tasks" {
  description = "The scheduler's concurrency budget (sluice.flows.max-concurrent): tasks dispatched or running at once."
  type        = number
  default     = 8
}

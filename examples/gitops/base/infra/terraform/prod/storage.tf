# The uploads moved from the PVC to S3 (history step 03).
resource "aws_s3_bucket" "uploads" {
  bucket = "shop-prod-uploads"
}

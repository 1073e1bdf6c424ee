"""S3 bodies byte for byte whatever the Content-Type; other services' form bodies still parsed as forms."""

from __future__ import annotations

import boto3

from localcloud.emulator import Emulator
from localcloud.patches.s3_body import keeps_raw_body

S3_AUTH = "AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x"
SQS_AUTH = S3_AUTH.replace("/s3/", "/sqs/")
BODY = b"a=b&c=d\n\xff\xfe\x00 not utf-8\n"


def _environ(method: str, content_type: str, auth: str = S3_AUTH, query: str = "") -> dict[str, str]:
    return {"REQUEST_METHOD": method, "CONTENT_TYPE": content_type, "HTTP_AUTHORIZATION": auth, "QUERY_STRING": query}


def test_s3_put_with_a_form_content_type_keeps_its_body() -> None:
    assert keeps_raw_body(_environ("PUT", "application/x-www-form-urlencoded"))
    assert keeps_raw_body(_environ("PUT", "multipart/form-data; boundary=x"))


def test_presigned_s3_put_keeps_its_body() -> None:
    query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261201%2Fus-east-1%2Fs3%2Faws4_request"
    assert keeps_raw_body(_environ("PUT", "application/x-www-form-urlencoded", auth="", query=query))


def test_other_services_and_browser_form_posts_are_left_alone() -> None:
    assert not keeps_raw_body(_environ("POST", "application/x-www-form-urlencoded", auth=SQS_AUTH))  # query protocol
    assert not keeps_raw_body(_environ("POST", "multipart/form-data; boundary=x"))  # S3 POST Object (HTML form)
    assert not keeps_raw_body(_environ("PUT", "application/octet-stream"))


def test_put_object_with_a_form_content_type_stores_the_bytes(emulator: Emulator) -> None:
    # Given boto3 sending the urlencoded content type, When the object is read back, Then bytes and type are as sent
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-body")
    s3.put_object(Bucket="lc-body", Key="a.csv", Body=BODY, ContentType="application/x-www-form-urlencoded")
    stored = s3.get_object(Bucket="lc-body", Key="a.csv")
    assert stored["Body"].read() == BODY
    assert stored["ContentType"] == "application/x-www-form-urlencoded"


def test_sqs_form_requests_still_work(emulator: Emulator) -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="lc-body-sqs")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hello"

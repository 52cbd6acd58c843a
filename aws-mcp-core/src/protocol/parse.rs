//! Responses: an [`HttpResponse`](super::HttpResponse) to the AWS CLI's JSON or an
//! [`ApiError`](super::ApiError). (Being written; see the protocol module docs.)

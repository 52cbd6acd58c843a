//! Requests: API parameters to an [`HttpRequest`](super::HttpRequest).
//! (Being written; see the protocol module docs.)

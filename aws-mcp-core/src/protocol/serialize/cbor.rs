//! Smithy RPC v2 CBOR (`POST /service/{Service}/operation/{Operation}`).

use serde_json::{Map, Value};

use super::{HttpRequest, ProtocolError, ServiceModel};
use crate::catalog::{OperationModel, Shape};

pub(super) fn serialize(
    _svc: &ServiceModel<'_>,
    _op_name: &str,
    _op: &OperationModel,
    _input: Option<&Shape>,
    _params: &Map<String, Value>,
) -> Result<HttpRequest, ProtocolError> {
    Err(ProtocolError::UnsupportedProtocol(
        "smithy-rpc-v2-cbor".into(),
    ))
}

'use strict'
// Point the suggestion engine at the files this package ships or depends on, before the
// native addon is loaded: the dense engine's model files (models/minilm, copied in by
// `npm pack`'s prepack step) and the ONNX Runtime library of the optional dependency
// onnxruntime-node. Only unset variables are set; when either file is missing the core
// answers with the lexical engine (the server's `engine` field says which answered).
const fs = require('fs')
const path = require('path')

function runtimeLibrary() {
  let root
  try {
    root = path.dirname(require.resolve('onnxruntime-node/package.json'))
  } catch {
    return null
  }
  const dir = path.join(root, 'bin', 'napi-v6', process.platform, process.arch)
  let names
  try {
    names = fs.readdirSync(dir).sort()
  } catch {
    return null
  }
  const lib = names.find((n) => /^libonnxruntime\.so/.test(n) || /^libonnxruntime.*\.dylib$/.test(n) || n === 'onnxruntime.dll')
  return lib ? path.join(dir, lib) : null
}

function configure() {
  const models = path.join(__dirname, 'models', 'minilm')
  if (!process.env.AWS_MCP_MODEL_DIR && fs.existsSync(path.join(models, 'model.onnx'))) {
    process.env.AWS_MCP_MODEL_DIR = models
  }
  if (!process.env.ORT_DYLIB_PATH) {
    const lib = runtimeLibrary()
    if (lib) process.env.ORT_DYLIB_PATH = lib
  }
}

module.exports = { configure, runtimeLibrary }

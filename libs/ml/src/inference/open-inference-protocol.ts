/** Wire types of the Open Inference Protocol (KServe v2 REST), the parts Gyre uses. */

export type V2Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

export interface V2Tensor {
  readonly name: string;
  readonly shape: number[];
  readonly datatype: V2Datatype;
  /** Row-major, flattened. */
  readonly data: unknown[];
  readonly parameters?: Record<string, unknown>;
}

export interface V2InferenceRequest {
  readonly id?: string;
  readonly inputs: V2Tensor[];
  readonly outputs?: { name: string }[];
}

export interface V2InferenceResponse {
  readonly model_name: string;
  readonly model_version?: string;
  readonly id?: string;
  readonly outputs: V2Tensor[];
}

export interface V2TensorMetadata {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly shape: number[];
}

export interface V2ModelMetadata {
  readonly name: string;
  readonly versions?: string[];
  readonly platform: string;
  readonly inputs: V2TensorMetadata[];
  readonly outputs: V2TensorMetadata[];
}

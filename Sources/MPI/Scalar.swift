import CMPI

/// The MPI datatype of a Swift scalar, without exposing MPI's C handles.
public struct MPIDatatype: Sendable {
    enum Kind { case float64, float32, int32, int64, uint8, uint64 }
    let kind: Kind

    var handle: MPI_Datatype {
        switch kind {
        case .float64: MPI_DOUBLE
        case .float32: MPI_FLOAT
        case .int32: MPI_INT32_T
        case .int64: MPI_INT64_T
        case .uint8: MPI_UINT8_T
        case .uint64: MPI_UINT64_T
        }
    }
}

/// A fixed-size scalar that MPI can send and reduce.
public protocol MPIScalar: BitwiseCopyable {
    /// The matching MPI datatype.
    static var mpiDatatype: MPIDatatype { get }
}

extension Double: MPIScalar { public static var mpiDatatype: MPIDatatype { MPIDatatype(kind: .float64) } }
extension Float: MPIScalar { public static var mpiDatatype: MPIDatatype { MPIDatatype(kind: .float32) } }
extension Int32: MPIScalar { public static var mpiDatatype: MPIDatatype { MPIDatatype(kind: .int32) } }
extension Int64: MPIScalar { public static var mpiDatatype: MPIDatatype { MPIDatatype(kind: .int64) } }
extension Int: MPIScalar { public static var mpiDatatype: MPIDatatype { MPIDatatype(kind: .int64) } }
extension UInt8: MPIScalar { public static var mpiDatatype: MPIDatatype { MPIDatatype(kind: .uint8) } }
extension UInt64: MPIScalar { public static var mpiDatatype: MPIDatatype { MPIDatatype(kind: .uint64) } }

/// A reduction operation.
public enum ReductionOp: Sendable {
    case sum, min, max

    var handle: MPI_Op {
        switch self {
        case .sum: MPI_SUM
        case .min: MPI_MIN
        case .max: MPI_MAX
        }
    }
}

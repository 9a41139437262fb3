extension FrameBatch {
    /// Where each frame of `block` lies: in its mapped file, or in `raw` (this batch's ``raw`` buffer, bound by the
    /// caller for as long as the pointers are used).
    func pointers(_ block: Block, raw: UnsafeRawBufferPointer) -> [UnsafeRawPointer] {
        block.frames.map { frame in
            switch frame {
            case .mapped(let address): address.pointer
            case .buffered(let offset): raw.baseAddress! + offset
            }
        }
    }
}

/// Elementwise, reduction, normalization and shape operators (transformers, glue).
enum TensorOperators {
    static let all: [any OperatorLowering] = ElementwiseBinaryLowering.all + ElementwiseUnaryLowering.all + ReduceLowering.all + [
        CastLowering(), ClipLowering(), WhereLowering(),
        SoftmaxLowering(), SoftmaxLowering(log: true), LayerNormalizationLowering(), MatMulLowering(),
        ReshapeLowering(), SqueezeLowering(), UnsqueezeLowering(), IdentityLowering(),
        TransposeLowering(), SliceLowering(), ExpandLowering(), TileLowering(), PadLowering(), ResizeLowering(), GatherLowering(),
        ConcatLowering(), SplitLowering(), ShapeLowering(), SizeLowering(), ConstantOfShapeLowering(), RangeLowering(), RemapNodeLowering(),
    ]
}

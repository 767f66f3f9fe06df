export * from './ModelEntityV1alpha1';
export * from './GpuPoolEntityV1alpha1';

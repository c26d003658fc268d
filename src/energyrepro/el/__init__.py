"""Study `el`: EL images of PV cells, augmentation, AlexNet transfer learning (Verma et al. 2021)."""

"""beamforge convert (SAXSDog's saxsconverter): Fit2D printouts and PONI files into SAXSDog calibration JSON, and
SAXSDog calibrations into PONI files. Golden: the shipped Fit2D output gives exactly the geometry of cal.json;
PONI -> JSON -> PONI holds to 1e-9; the results load in integrate and agree with pyFAI."""
import json
import shutil

import numpy as np
import pyFAI
import pytest
from pyFAI.integrator.azimuthal import AzimuthalIntegrator

from conftest import BEAMFORGE, assert_clean_failure, run
from test_integrate import DATA, FRAME, integrate

SHAPE = (1043, 981)


def convert(*args):
    return run([BEAMFORGE, "convert", *map(str, args)], timeout=60)


def saxsdog_geometry(cal):
    g = cal["Geometry"]
    return g["BeamCenter"], g["DedectorDistanceMM"], g["Tilt"]["TiltAngleDeg"], g["Tilt"]["TiltRotDeg"]


def fit2d_integrator(cal):
    """pyFAI on SAXSDog's geometry: setFit2D on the vertically flipped image (docs/reference/integration.md §4)."""
    g = cal["Geometry"]
    ai = AzimuthalIntegrator()
    ai.setFit2D(g["DedectorDistanceMM"], g["BeamCenter"][1], g["BeamCenter"][0], tilt=g["Tilt"]["TiltAngleDeg"],
                tiltPlanRotation=g["Tilt"]["TiltRotDeg"], pixelX=g["PixelSizeMicroM"][0],
                pixelY=g["PixelSizeMicroM"][0])
    return ai


def test_fit2d_refined_output_gives_exactly_the_geometry_of_cal_json(tmp_path):
    shipped = json.loads((DATA / "cal.json").read_text())
    # Updating a calibration whose geometry is zeroed: everything else is kept, in order.
    zeroed = json.loads((DATA / "cal.json").read_text())
    zeroed["Geometry"].update(BeamCenter=[1.0, 2.0], DedectorDistanceMM=3.0, Tilt={"TiltAngleDeg": 0, "TiltRotDeg": 0})
    zeroed["Wavelength"] = 9.0
    (tmp_path / "cal.json").write_text(json.dumps(zeroed, indent=4, separators=(",", ": ")))
    r = convert(DATA / "fit2d-calibration.txt", tmp_path / "cal.json")
    assert r.returncode == 0, r.stderr
    updated = json.loads((tmp_path / "cal.json").read_text())
    assert updated == shipped
    assert list(updated) == list(shipped)
    # From the schema defaults, written as SAXSDog writes (json.dumps indent=4, separators (",", ": ")).
    r = convert(DATA / "fit2d-calibration.txt", tmp_path / "new.json")
    assert r.returncode == 0, r.stderr
    expected = {"Geometry": {"Tilt": {"TiltRotDeg": 73.569, "TiltAngleDeg": -0.56}, "BeamCenter": [808.37, 387.772],
                             "DedectorDistanceMM": 1031.657, "PixelSizeMicroM": [172.0], "Imagesize": [1043, 981]},
                "Wavelength": 1.54, "Masks": [{"MaskFile": "AAA_integ.msk", "Oversampling": 3,
                                                "PixelPerRadialElement": 1, "qStart": 0, "qStop": 0}],
                "Directory": ["."]}
    assert (tmp_path / "new.json").read_text() == json.dumps(expected, indent=4, separators=(",", ": "))
    # It loads in integrate (qStart = qStop = 0: a warning) and integrates as cal.json does.
    mine = integrate("--calibration", tmp_path / "new.json", "--mask", DATA / "AAA_integ.msk", "--out",
                     tmp_path / "o1", FRAME)
    assert mine.returncode == 0 and "qStart = qStop" in mine.stderr, mine.stderr
    cal = json.loads((DATA / "cal.json").read_text())
    cal["Masks"][0]["MaskFile"] = str(DATA / "AAA_integ.msk")
    (tmp_path / "ref.json").write_text(json.dumps(cal))
    ref = integrate("--calibration", tmp_path / "ref.json", "--out", tmp_path / "o2", FRAME)
    assert ref.returncode == 0, ref.stderr
    import h5py
    with h5py.File(tmp_path / "o1" / "integrated.h5") as a, h5py.File(tmp_path / "o2" / "integrated.h5") as b:
        assert np.array_equal(a["integrated/sasdata01/I"][()], b["integrated/sasdata01/I"][()], equal_nan=True)


def test_best_fit_lines_are_matched_by_label(tmp_path):
    """SAXSDog's own parser indexes words and does not read this layout (SAXSDog documentation §5.3.1)."""
    text = ("  INFO: Best fit beam centre (X/Y pixels) = 388.2765 807.8745\n"
            "INFO:   Best fit angle of tilt plane rotation (degrees) =    73.59509\n"
            "INFO: Best fit angle of tilt (degrees) = -10.00601\r\n"
            "INFO: Refined Beam centre =       66.697     139.040 (mm)\n")
    (tmp_path / "best.txt").write_text(text)
    r = convert(tmp_path / "best.txt", tmp_path / "best.json")
    assert r.returncode == 0, r.stderr
    center, distance, tilt, rotation = saxsdog_geometry(json.loads((tmp_path / "best.json").read_text()))
    assert (center, distance, tilt, rotation) == ([807.8745, 388.2765], 1000.0, -10.00601, 73.59509)


def random_fit2d(rng):
    return dict(directDist=rng.uniform(200, 5000), centerX=rng.uniform(-100, 1100), centerY=rng.uniform(-100, 1100),
                tilt=rng.uniform(-30, 30), tiltPlanRotation=rng.uniform(-180, 180))


def test_poni_json_poni_round_trip_and_pyfai_agreement(tmp_path):
    """PONI files as pyFAI writes them (from Fit2D geometries, so rot3 is Fit2D's) -> JSON -> PONI: every
    parameter to 1e-9 (m and rad). The JSON's geometry, given to pyFAI as Fit2D parameters of the flipped image,
    gives the original PONI's 2theta on every pixel to 1e-12 rad (measured 2e-14; pyFAI's center_array, as its
    older twoThetaArray is documented as less precise and differs by 1e-9)."""
    rng = np.random.default_rng(24)
    for k in range(6):
        ai = AzimuthalIntegrator(detector=pyFAI.detectors.Detector(172e-6, 172e-6, max_shape=SHAPE),
                                 wavelength=1.54e-10)
        ai.setFit2D(**random_fit2d(rng), pixelX=172, pixelY=172)
        ai.write(str(tmp_path / f"in{k}.poni"))
        r = convert(tmp_path / f"in{k}.poni", tmp_path / f"cal{k}.json")
        assert r.returncode == 0, r.stderr
        assert "Rot3" not in r.stderr, r.stderr
        r = convert(tmp_path / f"cal{k}.json", tmp_path / f"out{k}.poni")
        assert r.returncode == 0, r.stderr
        a, b = pyFAI.load(str(tmp_path / f"in{k}.poni")), pyFAI.load(str(tmp_path / f"out{k}.poni"))
        for name in ("dist", "poni1", "poni2", "rot1", "rot2", "rot3"):
            assert abs(getattr(a, name) - getattr(b, name)) < 1e-9, (k, name, getattr(a, name), getattr(b, name))
        assert abs(a.wavelength - b.wavelength) < 1e-22
        cal = json.loads((tmp_path / f"cal{k}.json").read_text())
        assert cal["Geometry"]["Imagesize"] == list(SHAPE) and cal["Geometry"]["PixelSizeMicroM"] == [172.0]
        flipped = fit2d_integrator(cal).center_array(SHAPE, unit="2th_rad")[::-1]
        assert np.abs(flipped - a.center_array(SHAPE, unit="2th_rad")).max() < 1e-12


def test_saxsdog_json_to_poni_is_pyfai_conversion_of_the_flipped_image(tmp_path):
    """cal.json -> PONI equals pyFAI's convert_from_Fit2d of the same geometry, mirrored from pyFAI's flipped
    image to the image as stored (poni1 -> H*pixel - poni1, rot2 and rot3 change sign), to 1e-12; the PONI
    loads in integrate."""
    shutil.copy(DATA / "cal.json", tmp_path / "cal.json")
    r = convert(tmp_path / "cal.json", tmp_path / "cal.poni")
    assert r.returncode == 0, r.stderr
    cal = json.loads((DATA / "cal.json").read_text())
    ref = fit2d_integrator(cal)
    mine = pyFAI.load(str(tmp_path / "cal.poni"))
    height = SHAPE[0] * 172e-6
    expected = dict(dist=ref.dist, poni1=height - ref.poni1, poni2=ref.poni2, rot1=ref.rot1, rot2=-ref.rot2,
                    rot3=-ref.rot3)
    for name, value in expected.items():
        assert abs(getattr(mine, name) - value) < 1e-12, (name, getattr(mine, name), value)
    assert mine.wavelength == pytest.approx(1.54e-10, rel=1e-15)
    r = integrate("--calibration", tmp_path / "cal.poni", "--mask", DATA / "AAA_integ.msk", "--out", tmp_path / "o",
                  FRAME)
    assert r.returncode == 0, r.stderr


def test_unrecognised_text_is_refused_naming_the_file(tmp_path):
    (tmp_path / "notes.txt").write_text("INFO: Sum of squares = 0.77519\nbeam centre somewhere\n")
    r = convert(tmp_path / "notes.txt", tmp_path / "out.json")
    assert_clean_failure(r, "notes.txt", "Refined")
    assert r.returncode == 2 and not (tmp_path / "out.json").exists()
